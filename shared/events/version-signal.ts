import type { ImageVersionRef } from '../arm/resource-id';

/** Where a signal about an image version came from. */
export const SignalSource = {
  EventGrid: 'eventgrid',
  CloudEvents: 'cloudevents',
  ActivityLog: 'activity-log',
  Sweep: 'sweep',
  Manual: 'manual',
} as const;
export type SignalSource = (typeof SignalSource)[keyof typeof SignalSource];

export const SignalKind = { Write: 'write', Delete: 'delete' } as const;
export type SignalKind = (typeof SignalKind)[keyof typeof SignalKind];

/** The normalised "this image version was written/deleted" fact that every source reduces to. */
export interface VersionSignal {
  readonly eventId: string;
  readonly source: SignalSource;
  readonly kind: SignalKind;
  readonly version: ImageVersionRef;
  /** ISO time the operation happened, if the source says. */
  readonly eventTime?: string;
  /** ARM correlation id of the operation (the same for Event Grid and Activity Log). */
  readonly correlationId?: string;
}

/** A delivered event after parsing: either a version signal to act on, or a reason to ignore it. */
export type ReceivedEvent =
  | (ReceivedEventBase & {
      readonly signal: VersionSignal;
      readonly ignoreReason?: undefined;
      readonly rejected?: undefined;
    })
  | (ReceivedEventBase & {
      readonly signal?: undefined;
      readonly ignoreReason: string;
      /** Malformed rather than merely not ours (e.g. subject and resourceUri disagree). */
      readonly rejected?: boolean;
    });

export interface ReceivedEventBase {
  readonly eventId: string;
  readonly source: SignalSource;
  readonly eventType: string;
  readonly subject?: string;
}

/** The payload is unusable as a whole (bad JSON, wrong schema, missing required fields): HTTP 400. */
export class PayloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PayloadError';
  }
}
