import { createLogger } from '@mirrorwatch/logger';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKafkaClient } from './client.js';
import {
  installedKafkajsVersion,
  type RequestQueueInternals,
  requestQueueClass,
} from './request-queue-timer.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A connection's request queue as kafkajs builds it, with its queue checks counted. */
function requestQueue() {
  const RequestQueue = requestQueueClass() as unknown as new (
    options: object,
  ) => RequestQueueInternals & {
    destroy(): void;
  };
  const queue = new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: '127.0.0.1:9092',
    logger: silent,
  });
  const checks = vi.spyOn(queue, 'checkPendingRequests');
  return { queue, checks };
}

describe("kafkajs's request queue timer", () => {
  beforeEach(() => {
    // Every client of ours is made here, and this is what installs the replacement.
    createKafkaClient({
      brokers: ['127.0.0.1:9092'],
      clientId: 'test',
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('replaces the loop of kafkajs 2.2.4 (another version must be checked for the loop first)', () => {
    expect(installedKafkajsVersion()).toBe('2.2.4');
  });

  it('arms no timer on an idle connection', () => {
    const { queue, checks } = requestQueue();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
    vi.advanceTimersByTime(1000);
    // kafkajs 2.2.4 alone checks about once a millisecond here, forever.
    expect(checks).toHaveBeenCalledTimes(1);
    queue.destroy();
  });

  it('sends a request that waited for a broker throttle when the throttle ends, then arms nothing', () => {
    const { queue, checks } = requestQueue();
    const send = vi.fn();
    queue.pending.push({ send, expectResponse: true, correlationId: 1 });
    queue.throttledUntil = Date.now() + 50;
    queue.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(49);
    expect(send).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(send).toHaveBeenCalledTimes(1);
    expect(queue.pending).toEqual([]);
    expect(queue.throttleCheckTimeoutId).toBeNull();
    vi.advanceTimersByTime(1000);
    expect(checks).toHaveBeenCalledTimes(1);
    queue.destroy();
  });

  it('checks waiting requests again after 10 ms when the connection is only busy, with one timer at a time', () => {
    const { queue, checks } = requestQueue();
    checks.mockImplementation(() => undefined);
    queue.pending.push({});
    queue.scheduleCheckPendingRequests();
    queue.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(9);
    expect(checks).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(checks).toHaveBeenCalledTimes(1);
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.destroy();
  });
});
