/** Import of structures and resources (data contract v1.1): one library function over a stream. What other modules use. */
export { type PostalCodeResolver } from './check.ts';
export { readCsvRecords, type CsvRecord } from './csv.ts';
export { importRecords, type ImportInput, type ImportSummary } from './import.ts';
export { readLines, type Line } from './lines.ts';
export { createProgressBar, type ProgressBar } from './progress.ts';
export { type ImportFormat } from './records.ts';
export { formatReject, type Reject } from './rejects.ts';
