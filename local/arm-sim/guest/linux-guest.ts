import type { RunCommandParameter, ScriptLaunch } from './run-shell-script';

/** The inside of a Linux VM, as far as the simulator reaches into it. */
export interface LinuxGuest {
  readonly kind: 'real' | 'synthetic';
  /** Host directory holding the guest's disk (a real guest's overlay upper, a synthetic guest's root). */
  readonly diskDir: string;
  /** How Run Command script number `seq` starts inside the guest. */
  launch(seq: number, parameters: readonly RunCommandParameter[]): ScriptLaunch;
  /** What the guest wrote to its console so far; undefined for synthetic guests (their log is modelled). */
  consoleLog(): string | undefined;
  /** Powers the guest off and deletes its disk. */
  dispose(): Promise<void>;
}
