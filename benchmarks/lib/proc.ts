/**
 * What Linux's /proc says of a process the benchmark started: its CPU time (every thread of it)
 * and its memory. Contention on a shared machine stretches latencies and run times, not CPU time.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks a second of /proc/<pid>/stat's times: 100 on Linux (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system, all threads) the process has used so far, in ms. */
export function processCpuMs(pid: number): number {
  // The fields after the command's name, which is in parentheses and may itself hold spaces or ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND; // utime, stime
}

const statusMB = (pid: number, field: 'VmRSS' | 'VmHWM'): number => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
};

/** Resident memory now, in MB. */
export const rssMB = (pid: number): number => statusMB(pid, 'VmRSS');

/** Resident memory at its peak so far, in MB. */
export const peakRssMB = (pid: number): number => statusMB(pid, 'VmHWM');
