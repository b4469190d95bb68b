/**
 * A test subscriber on a real broker (npm mqtt client): records every message and waits for the
 * next one matching a topic and a condition (on the message event, never by sleeping).
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export interface ReceivedMessage {
  topic: string;
  text: string;
  payload: Buffer;
  retain: boolean;
  /** Position in arrival order. */
  index: number;
}

export interface TestSubscriber {
  readonly client: MqttClient;
  readonly messages: ReceivedMessage[];
  /** Resolves with the first message (from `fromIndex` on) on `topic` for which `accept` holds. */
  next(topic: string | RegExp, accept?: (message: ReceivedMessage) => boolean, fromIndex?: number): Promise<ReceivedMessage>;
  publish(topic: string, payload: string | Buffer, options?: Parameters<MqttClient['publishAsync']>[2]): Promise<void>;
  close(): Promise<void>;
}

function matches(topic: string | RegExp, actual: string): boolean {
  return typeof topic === 'string' ? topic === actual : topic.test(actual);
}

export async function subscribe(url: string, filters: string[], options: IClientOptions = {}): Promise<TestSubscriber> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, protocolVersion: 5, ...options });
  const messages: ReceivedMessage[] = [];
  const waiters: { topic: string | RegExp; accept: (m: ReceivedMessage) => boolean; fromIndex: number; resolve: (m: ReceivedMessage) => void }[] = [];
  client.on('message', (topic, payload, packet) => {
    const message = { topic, text: payload.toString(), payload, retain: packet.retain, index: messages.length };
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (message.index >= waiter.fromIndex && matches(waiter.topic, topic) && waiter.accept(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  if (filters.length > 0) await client.subscribeAsync(filters, { qos: 1 });
  return {
    client,
    messages,
    next: (topic, accept = () => true, fromIndex = 0) => {
      const found = messages.find((m) => m.index >= fromIndex && matches(topic, m.topic) && accept(m));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ topic, accept, fromIndex, resolve }));
    },
    publish: async (topic, payload, publishOptions) => {
      await client.publishAsync(topic, payload, publishOptions);
    },
    close: async () => {
      await client.endAsync(true);
    },
  };
}
