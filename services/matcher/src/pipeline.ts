import type { BatchHandler, ReceivedMessage } from '@mirrorwatch/kafka';

export type AccountEvent = ReceivedMessage<'accountEvents'>;

export interface PipelineOptions {
  /** Told about every chunk once it has been fully handled (metrics, tests, tracing). */
  onProcessed?: (events: AccountEvent[]) => void;
}

/**
 * The matcher's work on a chunk of account events. Fingerprinting, candidate retrieval and
 * scoring (the detection engine) plug in here; until then each event is acknowledged after it
 * has been decoded and logged with its correlation ids.
 */
export function createPipeline({ onProcessed }: PipelineOptions = {}): BatchHandler<'accountEvents'> {
  return async (events, { log }) => {
    for (const event of events) {
      log.debug(
        {
          eventId: event.value.eventId,
          platform: event.value.platform,
          partition: event.partition,
          offset: event.offset,
        },
        'account event received',
      );
    }
    onProcessed?.(events);
    return undefined;
  };
}
