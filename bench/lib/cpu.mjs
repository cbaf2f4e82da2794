// Where the CPU went (Linux /proc; left out elsewhere). See bench/README.md.

import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/** Machine-wide CPU counters (jiffies) from /proc/stat, or null. */
export function machineCpu() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal (guest is already in user)
    return { total, idle: fields[3] + (fields[4] ?? 0) };
  } catch {
    return null;
  }
}

/**
 * Per-thread scheduler counters of a process from /proc/<pid>/task/<tid>/schedstat: nanoseconds on
 * a CPU and nanoseconds runnable but waiting for one. The thread whose id is the pid is the main
 * (event loop) thread; the others are the libuv pool and V8's helper threads (GC, compiler).
 */
export function threadCpu(pid) {
  try {
    const threads = new Map();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
      threads.set(Number(tid), { run, wait });
    }
    return threads;
  } catch {
    return null;
  }
}

/** USER_HZ: /proc reports times in these ticks; 100 on every Linux build that matters. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (µs) of this process's children that have exited and been waited for (`cutime` +
 * `cstime` of /proc/self/stat): a load generator run as a child process (wrk). 0 off Linux.
 */
function reapedChildrenCpuMicros() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1e6) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
/** Starts a CPU window; `serverPid` = a process whose threads to account (a server, or this process), or null. */
export function startCpuWatch(serverPid) {
  return { at: performance.now(), machine: machineCpu(), server: serverPid ? threadCpu(serverPid) : null, self: process.cpuUsage(), children: reapedChildrenCpuMicros(), serverPid };
}

/** CPU figures over a window, per unit of work (`units` = tokens, validations or signatures). */
export function stopCpuWatch(watch, units) {
  const seconds = (performance.now() - watch.at) / 1000;
  const selfCpu = process.cpuUsage(watch.self);
  // This process and the load generator it ran as a child in the window (wrk), if any.
  const benchMicros = selfCpu.user + selfCpu.system + (reapedChildrenCpuMicros() - watch.children);
  const result = {
    seconds,
    cores: os.cpus().length,
    benchProcessCpuPercent: (benchMicros / 1e6 / seconds) * 100,
    benchProcessCpuMicrosPerUnit: units ? benchMicros / units : null,
  };
  const machine = machineCpu();
  if (watch.machine && machine && machine.total > watch.machine.total) {
    result.machineBusyPercent = (1 - (machine.idle - watch.machine.idle) / (machine.total - watch.machine.total)) * 100;
  }
  const after = watch.serverPid ? threadCpu(watch.serverPid) : null;
  if (watch.server && after) {
    let mainRun = 0;
    let mainWait = 0;
    let otherRun = 0;
    let otherWait = 0;
    for (const [tid, now] of after) {
      const before = watch.server.get(tid) ?? { run: 0, wait: 0 };
      const run = now.run - before.run;
      const wait = now.wait - before.wait;
      if (tid === watch.serverPid) {
        mainRun += run;
        mainWait += wait;
      } else {
        otherRun += run;
        otherWait += wait;
      }
    }
    const pct = (ns) => (ns / 1e9 / seconds) * 100;
    result.server = {
      eventLoopThreadOnCpuPercent: pct(mainRun),
      eventLoopThreadWaitingForCpuPercent: pct(mainWait),
      otherThreadsOnCpuPercent: pct(otherRun),
      otherThreadsWaitingForCpuPercent: pct(otherWait),
      eventLoopCpuMicrosPerToken: units ? mainRun / 1e3 / units : null,
      otherThreadsCpuMicrosPerToken: units ? otherRun / 1e3 / units : null,
    };
  }
  return result;
}

/** Share of the machine's CPU used by other processes, given this window's own use in % of one core; null off Linux. */
export function busyOthers(cpu, ownCorePercent) {
  return cpu.machineBusyPercent === undefined ? null : cpu.machineBusyPercent - ownCorePercent / cpu.cores;
}

/**
 * One CPU figure for several windows (`windows` = [{cpu, units}], each from stopCpuWatch): times
 * and per-unit costs added up over all of them, percentages weighted by each window's length.
 */
export function mergeCpuWindows(windows) {
  const seconds = windows.reduce((sum, w) => sum + w.cpu.seconds, 0);
  const units = windows.reduce((sum, w) => sum + w.units, 0);
  const byTime = (pick) => {
    const present = windows.filter((w) => Number.isFinite(pick(w.cpu)));
    const time = present.reduce((sum, w) => sum + w.cpu.seconds, 0);
    return present.length ? present.reduce((sum, w) => sum + pick(w.cpu) * w.cpu.seconds, 0) / time : undefined;
  };
  const perUnit = (pick) => {
    const present = windows.filter((w) => Number.isFinite(pick(w.cpu)));
    const count = present.reduce((sum, w) => sum + w.units, 0);
    return present.length && count ? present.reduce((sum, w) => sum + pick(w.cpu) * w.units, 0) / count : null;
  };
  const merged = {
    seconds,
    cores: windows[0]?.cpu.cores ?? os.cpus().length,
    benchProcessCpuPercent: byTime((c) => c.benchProcessCpuPercent),
    benchProcessCpuMicrosPerUnit: perUnit((c) => c.benchProcessCpuMicrosPerUnit),
  };
  const busy = byTime((c) => c.machineBusyPercent);
  if (busy !== undefined) merged.machineBusyPercent = busy;
  if (windows.length && windows.every((w) => w.cpu.server)) {
    merged.server = {
      eventLoopThreadOnCpuPercent: byTime((c) => c.server.eventLoopThreadOnCpuPercent),
      eventLoopThreadWaitingForCpuPercent: byTime((c) => c.server.eventLoopThreadWaitingForCpuPercent),
      otherThreadsOnCpuPercent: byTime((c) => c.server.otherThreadsOnCpuPercent),
      otherThreadsWaitingForCpuPercent: byTime((c) => c.server.otherThreadsWaitingForCpuPercent),
      eventLoopCpuMicrosPerToken: perUnit((c) => c.server.eventLoopCpuMicrosPerToken),
      otherThreadsCpuMicrosPerToken: perUnit((c) => c.server.otherThreadsCpuMicrosPerToken),
    };
  }
  merged.units = units;
  return merged;
}
