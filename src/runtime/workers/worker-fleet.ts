/**
 * The worker processes of `serve --workers N`: each re-runs the same command line with
 * SUBMETER_WORKER=w/N and serves one slice of the panel (shardPanelSpec), binding its own ports.
 *
 * Processes, not threads: each worker has its own heap and garbage collector (a 50,000-meter
 * slice collecting does not pause the others) and binds its own ports directly. They are forked
 * with node:child_process rather than node:cluster: cluster would route every listen through the
 * primary's shared handles (and give every worker asking for port 0 the same port), which a panel
 * of distinct ports does not want. The fork's IPC channel carries one message per worker: where
 * its control API listens and its secret (worker-control-announcement.ts).
 *
 * A worker is ready when it prints its `ready in N ms` line (and, with the control API, has
 * announced it). The fleet is all or nothing: the caller stops every worker when one exits.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isWorkerControlAnnouncement } from './worker-control-announcement.js';
import type { WorkerLinks } from './fleet-answerer.js';
import { WorkerLink } from './worker-link.js';

/** The environment variable that makes a `serve` process the w-th of N workers ("w/N"). */
export const WORKER_ENV = 'SUBMETER_WORKER';

export interface WorkerFleetOptions {
  readonly count: number;
  /** The script every worker runs, its arguments and node's own flags (the primary's command line). */
  readonly entry: string;
  readonly args: readonly string[];
  readonly execArgv: readonly string[];
  /** Whether workers serve a control API (and must announce it before they count as ready). */
  readonly control: boolean;
  /** Every line a worker prints on stdout except its `ready` line. */
  onLine(worker: number, line: string): void;
}

/** One worker as the primary sees it. */
export interface WorkerState {
  /** 1..N */
  readonly index: number;
  readonly pid: number | undefined;
  printedReady: boolean;
  link: WorkerLink | undefined;
  /** Its exit code once it has exited (1 when killed by a signal). */
  exitCode: number | undefined;
}

export class WorkerFleet implements WorkerLinks {
  readonly workers: readonly WorkerState[];
  /** Resolves when every worker is ready. */
  readonly allReady: Promise<void>;
  /** The first worker to exit, and its code. */
  readonly firstExit: Promise<{ worker: number; code: number }>;
  /** Every worker's exit code, once all have exited. */
  readonly exits: Promise<number[]>;
  private readonly children: ChildProcess[] = [];
  private stopping = false;

  constructor(private readonly options: WorkerFleetOptions) {
    const { count } = options;
    let resolveAllReady: () => void = () => undefined;
    this.allReady = new Promise<void>((resolve) => (resolveAllReady = resolve));
    const workers: WorkerState[] = [];
    const exits: Array<Promise<number>> = [];
    const checkReady = (): void => {
      if (workers.every((w) => w.printedReady && (!options.control || w.link !== undefined))) resolveAllReady();
    };
    for (let w = 1; w <= count; w += 1) {
      const child = fork(options.entry, [...options.args], {
        execArgv: [...options.execArgv],
        env: { ...process.env, [WORKER_ENV]: `${w}/${count}` },
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
        // Its own process group: a Ctrl-C reaches the primary only, which stops each worker once.
        detached: true,
      });
      const state: WorkerState = { index: w, pid: child.pid, printedReady: false, link: undefined, exitCode: undefined };
      workers.push(state);
      this.children.push(child);
      exits.push(
        new Promise<number>((resolve) =>
          child.on('exit', (code, signal) => {
            state.exitCode = code ?? (signal === null ? 0 : 1);
            resolve(state.exitCode);
          }),
        ),
      );
      child.on('message', (message) => {
        if (!isWorkerControlAnnouncement(message)) return;
        state.link = new WorkerLink(w, count, message.url, message.token);
        checkReady();
      });
      if (child.stdout !== null) {
        createInterface({ input: child.stdout }).on('line', (line) => {
          if (/^ready in \d+ ms/.test(line)) {
            state.printedReady = true;
            checkReady();
            return;
          }
          options.onLine(w, line);
        });
      }
    }
    this.workers = workers;
    this.firstExit = Promise.race(exits.map((exit, i) => exit.then((code) => ({ code, worker: i + 1 }))));
    this.exits = Promise.all(exits);
  }

  get count(): number {
    return this.options.count;
  }

  /** Worker w's control API, once it has announced it (and while it runs). */
  link(worker: number): WorkerLink | undefined {
    const state = this.workers[worker - 1];
    return state === undefined || state.exitCode !== undefined ? undefined : state.link;
  }

  /** Whether stopAll has been called. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Asks every running worker to stop (SIGTERM: each saves its meters); once. */
  stopAll(): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}
