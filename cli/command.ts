import type { ApiClient, ApiResponse } from './api-client';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder shown in help, e.g. `<state>`. */
  readonly value?: string;
  readonly description: string;
}

export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

export interface CommandContext {
  readonly args: readonly string[];
  readonly values: OptionValues;
  readonly api: ApiClient;
  readonly format: 'table' | 'json';
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
  /** Who the operator is when --by is not given. */
  readonly operator: string;
}

export interface Command {
  /** Words that name it: ['runs', 'list']. */
  readonly path: readonly string[];
  readonly summary: string;
  readonly positionals: readonly {
    readonly name: string;
    readonly required: boolean;
    readonly description: string;
  }[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly examples: readonly string[];
  run(context: CommandContext): Promise<number>;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  url: {
    type: 'string',
    value: '<url>',
    description: 'API base URL (env GG_URL; default http://localhost:$GG_LOCAL_PORT, i.e. npm start)',
  },
  key: {
    type: 'string',
    value: '<key>',
    description: 'function key (env GG_KEY; default: GG_LOCAL_FUNCTION_KEY of local.settings.json)',
  },
  output: {
    type: 'string',
    short: 'o',
    value: '<table|json>',
    description: 'output format (default: table on a terminal, json when piped)',
  },
  help: { type: 'boolean', short: 'h', description: 'show help for the command' },
};

export const REASON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  reason: {
    type: 'string',
    value: '<text>',
    description: 'why (required; recorded with your name and echoed back)',
  },
  by: {
    type: 'string',
    value: '<name>',
    description: 'who asks (default: env GG_OPERATOR, else your user name)',
  },
};

/** An API answer the command did not expect: print the error, return what `gg` exits with. */
export type Failure = (response: ApiResponse) => number;
