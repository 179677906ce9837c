import { writeFileSync } from 'node:fs';
import { consoleApiTypesPath, renderApiTypes, tenantApiDocument } from './console-api-types.ts';

// Writes the console's API types from the tenant API's OpenAPI document (run after changing an API schema).
writeFileSync(consoleApiTypesPath, renderApiTypes(tenantApiDocument()));
console.log(`wrote ${consoleApiTypesPath}`);
