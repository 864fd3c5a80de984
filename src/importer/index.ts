/** Import of structures and resources (data contract v1): one library function over a stream. */
export { createRecordChecker, type Checked, type PostalCodeResolver } from './check.ts';
export { readCsvRecords, detectDelimiter, type CsvRecord, type Delimiter } from './csv.ts';
export { importErrors } from './errors.ts';
export { recordImportRun, type ImportRun } from './import-runs.ts';
export {
  importRecords, type ImportDeps, type ImportInput, type ImportProgress, type ImportSummary,
} from './import.ts';
export { readLines, type Line } from './lines.ts';
export { createProgressBar, formatProgress, type ProgressBar } from './progress.ts';
export { readRecords, type ImportFormat, type RawRecord } from './records.ts';
export { formatReject, makeReject, rejectJsonLine, type Reject } from './rejects.ts';
