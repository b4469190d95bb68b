/**
 * Topic names, all in one place:
 *
 *   <prefix>/status                      online/offline of the process (the connection's Last Will)
 *   <prefix>/meters                      retained list of the meters published (to clean up removed ones)
 *   <prefix>/<meter>/state               telemetry, one JSON object per interval
 *   <prefix>/<meter>/event               events as they happen
 *   <prefix>/<meter>/availability        online/offline of the meter (retained)
 *   <prefix>/<meter>/set/<command>       commands in
 *   <prefix>/<meter>/result              every command's answer
 *   <discovery>/device/<id>/config       Home Assistant device discovery (retained)
 *   <discovery>/status                   Home Assistant's own online/offline (re-announce on online)
 */

export interface MqttTopics {
  readonly status: string;
  readonly meterIndex: string;
  state(meter: string): string;
  event(meter: string): string;
  availability(meter: string): string;
  /** Subscription filter for every meter's commands. */
  readonly commandFilter: string;
  command(meter: string, name: string): string;
  result(meter: string): string;
  /** Parses a command topic: the meter and command name, or undefined when it is not one. */
  parseCommand(topic: string): { meter: string; name: string } | undefined;
  discoveryConfig(objectId: string): string;
  readonly homeAssistantStatus: string;
}

export function mqttTopics(prefix: string, discoveryPrefix: string): MqttTopics {
  const levels = prefix.split('/').length;
  return {
    status: `${prefix}/status`,
    meterIndex: `${prefix}/meters`,
    state: (meter) => `${prefix}/${meter}/state`,
    event: (meter) => `${prefix}/${meter}/event`,
    availability: (meter) => `${prefix}/${meter}/availability`,
    commandFilter: `${prefix}/+/set/#`,
    command: (meter, name) => `${prefix}/${meter}/set/${name}`,
    result: (meter) => `${prefix}/${meter}/result`,
    parseCommand: (topic) => {
      if (!topic.startsWith(`${prefix}/`)) return undefined;
      const rest = topic.split('/').slice(levels);
      const [meter, set, ...name] = rest;
      if (meter === undefined || set !== 'set' || name.length === 0) return undefined;
      return { meter, name: name.join('/') };
    },
    discoveryConfig: (objectId) => `${discoveryPrefix}/device/${objectId}/config`,
    homeAssistantStatus: `${discoveryPrefix}/status`,
  };
}

/** A meter name as one topic level: MQTT wildcards and "/" are not allowed in it. */
export function isTopicLevel(name: string): boolean {
  return name !== '' && !/[#+/\u0000]/.test(name);
}
