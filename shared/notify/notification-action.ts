import type { Config } from '../config';
import type { Destination } from './deliver';

export type NotifyConfig = Config['notify'];

/**
 * One registered notification channel: where a message goes (undefined when the channel is not
 * configured) and the body it is sent as. Delivery (once-only, retries) is the same for every channel
 * and lives in `deliverOnce`.
 */
export interface NotificationAction<M> {
  readonly name: string;
  readonly description: string;
  /** Settings the channel reads, for documentation. */
  readonly settings: readonly string[];
  readonly destination: (
    config: NotifyConfig,
    message: M,
  ) => (Destination & { readonly warning?: string }) | undefined;
  readonly render: (config: NotifyConfig, message: M) => unknown;
}
