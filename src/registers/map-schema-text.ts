/** The text of register-map/schema.json, generated from the zod schema. */
import { registerMapJsonSchema } from './map-schema.js';

export function registerMapSchemaText(): string {
  return `${JSON.stringify(registerMapJsonSchema(), null, 2)}\n`;
}
