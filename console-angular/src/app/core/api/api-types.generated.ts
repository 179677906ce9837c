// Generated from the tenant API's OpenAPI document by `npm run console:api-types`. Do not edit by hand:
// scripts/console-api-types.test.ts fails when this file and the API drift apart.
/* eslint-disable */

export interface paths {
  "/auth/register": {
    post: {
      requestBody: { content: { 'application/json': {
        "email": string;
        "password": string;
        "businessName": string;
      } } };
      responses: {
        201: { content: { 'application/json': {
          "user": {
            "id": string;
            "email": string;
            "role": "OWNER" | "AGENT" | "SUPER_ADMIN";
            "emailVerified": boolean;
            "createdAt": string;
          };
          "business": {
            "id": string;
            "name": string;
            "timezone": string;
            "objective": "SALES" | "APPOINTMENTS";
            "botEnabled": boolean;
            "createdAt": string;
          };
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
        429: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/auth/resend-verification": {
    post: {
      requestBody: { content: { 'application/json': {
        "email": string;
      } } };
      responses: {
        202: { content: { 'application/json': {
          "accepted": true;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        429: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/auth/forgot-password": {
    post: {
      requestBody: { content: { 'application/json': {
        "email": string;
      } } };
      responses: {
        202: { content: { 'application/json': {
          "accepted": true;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        429: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/auth/reset-password": {
    post: {
      requestBody: { content: { 'application/json': {
        "token": string;
        "password": string;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "reset": true;
          "email": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/auth/verify-email": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "verified": true;
          "email": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/auth/login": {
    post: {
      requestBody: { content: { 'application/json': {
        "email": string;
        "password": string;
        "refreshTokenInBody"?: boolean;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "accessToken": string;
          "refreshToken"?: string;
          "tokenType": "Bearer";
          "expiresIn": number;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        429: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/auth/refresh": {
    post: {
      requestBody: { content: { 'application/json': {
        "refreshToken"?: string;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "accessToken": string;
          "refreshToken"?: string;
          "tokenType": "Bearer";
          "expiresIn": number;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/auth/logout": {
    post: {
      requestBody: { content: { 'application/json': {
        "refreshToken"?: string;
      } } };
      responses: {
        204: { content?: never };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/auth/me": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "user": {
            "id": string;
            "email": string;
            "role": "OWNER" | "AGENT" | "SUPER_ADMIN";
            "emailVerified": boolean;
            "createdAt": string;
          };
          "business": {
            "id": string;
            "name": string;
            "timezone": string;
            "objective": "SALES" | "APPOINTMENTS";
            "botEnabled": boolean;
            "createdAt": string;
          };
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/instances": {
    post: {
      requestBody: { content: { 'application/json': {
        "provider": "META";
        "name": string;
        "phoneNumberId": string;
        "wabaId"?: string;
        "accessToken": string;
      } | {
        "provider": "SANDBOX";
        "name": string;
      } | {
        "provider": "BAILEYS";
        "name": string;
      } } };
      responses: {
        201: { content: { 'application/json': {
          "id": string;
          "provider": "META" | "BAILEYS" | "SANDBOX";
          "name": string;
          "phoneNumberId": string | null;
          "wabaId": string | null;
          "status": string;
          "slot": number | null;
          "hasAccessToken": boolean;
          "baileys": {
            "maxPerMinute": number | null;
            "minGapPerRecipientMs": number | null;
            "newContactsPerDay": number | null;
            "typing": boolean | null;
          } | null;
          "overCapacitySince": string | null;
          "createdAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "id": string;
            "provider": "META" | "BAILEYS" | "SANDBOX";
            "name": string;
            "phoneNumberId": string | null;
            "wabaId": string | null;
            "status": string;
            "slot": number | null;
            "hasAccessToken": boolean;
            "baileys": {
              "maxPerMinute": number | null;
              "minGapPerRecipientMs": number | null;
              "newContactsPerDay": number | null;
              "typing": boolean | null;
            } | null;
            "overCapacitySince": string | null;
            "createdAt": string;
          }>;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/instances/{id}": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "provider": "META" | "BAILEYS" | "SANDBOX";
          "name": string;
          "phoneNumberId": string | null;
          "wabaId": string | null;
          "status": string;
          "slot": number | null;
          "hasAccessToken": boolean;
          "baileys": {
            "maxPerMinute": number | null;
            "minGapPerRecipientMs": number | null;
            "newContactsPerDay": number | null;
            "typing": boolean | null;
          } | null;
          "overCapacitySince": string | null;
          "createdAt": string;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    patch: {
      requestBody: { content: { 'application/json': {
        "name"?: string;
        "baileys"?: {
          "maxPerMinute"?: number | null;
          "minGapPerRecipientMs"?: number | null;
          "newContactsPerDay"?: number | null;
          "typing"?: boolean | null;
        };
      } } };
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "provider": "META" | "BAILEYS" | "SANDBOX";
          "name": string;
          "phoneNumberId": string | null;
          "wabaId": string | null;
          "status": string;
          "slot": number | null;
          "hasAccessToken": boolean;
          "baileys": {
            "maxPerMinute": number | null;
            "minGapPerRecipientMs": number | null;
            "newContactsPerDay": number | null;
            "typing": boolean | null;
          } | null;
          "overCapacitySince": string | null;
          "createdAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    delete: {
      responses: {
        204: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/instances/{id}/session": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "instanceId": string;
          "state": "pending" | "over-capacity" | "stopped" | "connecting" | "waiting-for-scan" | "open" | "reconnecting" | "logged-out";
          "stopReason": string | null;
          "qr": string | null;
          "pairingCode": string | null;
          "registered": boolean;
          "account": string | null;
          "restriction": {
            "reason": "error-463" | "reachout-timelock";
            "since": string;
            "until": string;
          } | null;
          "reconnectAttempts": number;
          "nextAttemptAt": string | null;
          "lastDisconnect": {
            "code": number | null;
            "message": string;
            "at": string;
          } | null;
          "watchdogRecycles": {
            "silent": number;
            "keepAliveFailed": number;
          };
          "updatedAt": string;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/instances/{id}/session/pairing-code": {
    post: {
      requestBody: { content: { 'application/json': {
        "phoneNumber": string;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "instanceId": string;
          "state": "pending" | "over-capacity" | "stopped" | "connecting" | "waiting-for-scan" | "open" | "reconnecting" | "logged-out";
          "stopReason": string | null;
          "qr": string | null;
          "pairingCode": string | null;
          "registered": boolean;
          "account": string | null;
          "restriction": {
            "reason": "error-463" | "reachout-timelock";
            "since": string;
            "until": string;
          } | null;
          "reconnectAttempts": number;
          "nextAttemptAt": string | null;
          "lastDisconnect": {
            "code": number | null;
            "message": string;
            "at": string;
          } | null;
          "watchdogRecycles": {
            "silent": number;
            "keepAliveFailed": number;
          };
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/instances/{id}/session/logout": {
    post: {
      responses: {
        200: { content: { 'application/json': {
          "instanceId": string;
          "state": "pending" | "over-capacity" | "stopped" | "connecting" | "waiting-for-scan" | "open" | "reconnecting" | "logged-out";
          "stopReason": string | null;
          "qr": string | null;
          "pairingCode": string | null;
          "registered": boolean;
          "account": string | null;
          "restriction": {
            "reason": "error-463" | "reachout-timelock";
            "since": string;
            "until": string;
          } | null;
          "reconnectAttempts": number;
          "nextAttemptAt": string | null;
          "lastDisconnect": {
            "code": number | null;
            "message": string;
            "at": string;
          } | null;
          "watchdogRecycles": {
            "silent": number;
            "keepAliveFailed": number;
          };
          "updatedAt": string;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/instances/{id}/session/restart": {
    post: {
      responses: {
        200: { content: { 'application/json': {
          "instanceId": string;
          "state": "pending" | "over-capacity" | "stopped" | "connecting" | "waiting-for-scan" | "open" | "reconnecting" | "logged-out";
          "stopReason": string | null;
          "qr": string | null;
          "pairingCode": string | null;
          "registered": boolean;
          "account": string | null;
          "restriction": {
            "reason": "error-463" | "reachout-timelock";
            "since": string;
            "until": string;
          } | null;
          "reconnectAttempts": number;
          "nextAttemptAt": string | null;
          "lastDisconnect": {
            "code": number | null;
            "message": string;
            "at": string;
          } | null;
          "watchdogRecycles": {
            "silent": number;
            "keepAliveFailed": number;
          };
          "updatedAt": string;
        } } };
        202: { content: { 'application/json': {
          "instanceId": string;
          "state": "pending" | "over-capacity" | "stopped" | "connecting" | "waiting-for-scan" | "open" | "reconnecting" | "logged-out";
          "stopReason": string | null;
          "qr": string | null;
          "pairingCode": string | null;
          "registered": boolean;
          "account": string | null;
          "restriction": {
            "reason": "error-463" | "reachout-timelock";
            "since": string;
            "until": string;
          } | null;
          "reconnectAttempts": number;
          "nextAttemptAt": string | null;
          "lastDisconnect": {
            "code": number | null;
            "message": string;
            "at": string;
          } | null;
          "watchdogRecycles": {
            "silent": number;
            "keepAliveFailed": number;
          };
          "updatedAt": string;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/instances/{id}/session/restart-pod": {
    post: {
      responses: {
        202: { content: { 'application/json': {
          "pod": string;
          "deleted": boolean;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/agent": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "systemPrompt": string;
          "model": string;
          "bufferSeconds": number;
          "maxBufferSeconds": number;
          "historyLimit": number;
          "handoffMinutes": number;
          "timezone": string;
          "botEnabled": boolean;
          "objective": "SALES" | "APPOINTMENTS";
          "plan": string;
          "updatedAt": string;
          "aiReplies": {
            "enabled": boolean;
            "reason": string | null;
          };
          "promptPreview": string;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    put: {
      requestBody: { content: { 'application/json': {
        "systemPrompt"?: string;
        "model"?: string;
        "bufferSeconds"?: number;
        "maxBufferSeconds"?: number;
        "historyLimit"?: number;
        "handoffMinutes"?: number;
        "timezone"?: string;
        "botEnabled"?: boolean;
        "objective"?: "SALES" | "APPOINTMENTS";
      } } };
      responses: {
        200: { content: { 'application/json': {
          "systemPrompt": string;
          "model": string;
          "bufferSeconds": number;
          "maxBufferSeconds": number;
          "historyLimit": number;
          "handoffMinutes": number;
          "timezone": string;
          "botEnabled": boolean;
          "objective": "SALES" | "APPOINTMENTS";
          "plan": string;
          "updatedAt": string;
          "aiReplies": {
            "enabled": boolean;
            "reason": string | null;
          };
          "promptPreview": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/agent/queue-stats": {
    get: {
      responses: {
        200: { content: { 'application/json': Record<string, unknown> } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/agent/tests": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "name": string;
            "steps": Array<{
              "customer": string;
              "expect": Array<{
                "type": "calls_tool";
                "tool": string;
              } | {
                "type": "does_not_call_tool";
                "tool": string;
              } | {
                "type": "mentions";
                "text": string;
              } | {
                "type": "does_not_mention";
                "text": string;
              }>;
            }>;
            "id": string;
            "createdAt": string;
            "updatedAt": string;
          }>;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    post: {
      requestBody: { content: { 'application/json': {
        "name": string;
        "steps": Array<{
          "customer": string;
          "expect"?: Array<{
            "type": "calls_tool";
            "tool": string;
          } | {
            "type": "does_not_call_tool";
            "tool": string;
          } | {
            "type": "mentions";
            "text": string;
          } | {
            "type": "does_not_mention";
            "text": string;
          }>;
        }>;
      } } };
      responses: {
        201: { content: { 'application/json': {
          "name": string;
          "steps": Array<{
            "customer": string;
            "expect": Array<{
              "type": "calls_tool";
              "tool": string;
            } | {
              "type": "does_not_call_tool";
              "tool": string;
            } | {
              "type": "mentions";
              "text": string;
            } | {
              "type": "does_not_mention";
              "text": string;
            }>;
          }>;
          "id": string;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/agent/tests/{testId}": {
    put: {
      requestBody: { content: { 'application/json': {
        "name": string;
        "steps": Array<{
          "customer": string;
          "expect"?: Array<{
            "type": "calls_tool";
            "tool": string;
          } | {
            "type": "does_not_call_tool";
            "tool": string;
          } | {
            "type": "mentions";
            "text": string;
          } | {
            "type": "does_not_mention";
            "text": string;
          }>;
        }>;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "name": string;
          "steps": Array<{
            "customer": string;
            "expect": Array<{
              "type": "calls_tool";
              "tool": string;
            } | {
              "type": "does_not_call_tool";
              "tool": string;
            } | {
              "type": "mentions";
              "text": string;
            } | {
              "type": "does_not_mention";
              "text": string;
            }>;
          }>;
          "id": string;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    delete: {
      responses: {
        204: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/agent/tests/run": {
    post: {
      requestBody: { content: { 'application/json': {
        "draft"?: {
          "systemPrompt"?: string;
          "model"?: string;
        };
        "caseIds"?: Array<string>;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "passed": number;
          "failed": number;
          "cases": Array<{
            "id": string;
            "name": string;
            "passed": boolean;
            "error": string | null;
            "turns": Array<{
              "customer": string;
              "reply": string;
              "toolCalls": Array<{
                "name": string;
                "arguments": string;
                "simulated": boolean;
                "error": string | null;
              }>;
              "verdicts": Array<{
                "expectation": {
                  "type": "calls_tool";
                  "tool": string;
                } | {
                  "type": "does_not_call_tool";
                  "tool": string;
                } | {
                  "type": "mentions";
                  "text": string;
                } | {
                  "type": "does_not_mention";
                  "text": string;
                };
                "passed": boolean;
                "detail": string | null;
              }>;
              "passed": boolean;
            }>;
          }>;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/agent/http-tools": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "id": string;
            "name": string;
            "description": string;
            "parameters": Record<string, unknown>;
            "method": "POST";
            "url": string;
            "headers": Array<{
              "name": string;
              "set": true;
            }>;
            "bodyTemplate": string | null;
            "timeoutMs": number;
            "active": boolean;
            "createdAt": string;
            "updatedAt": string;
          }>;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    post: {
      requestBody: { content: { 'application/json': {
        "name": string;
        "description": string;
        "parameters"?: Record<string, unknown>;
        "method"?: "POST";
        "url": string;
        "bodyTemplate"?: string | null;
        "timeoutMs"?: number;
        "active"?: boolean;
        "headers"?: Array<{
          "name": string;
          "value": string;
        }>;
      } } };
      responses: {
        201: { content: { 'application/json': {
          "id": string;
          "name": string;
          "description": string;
          "parameters": Record<string, unknown>;
          "method": "POST";
          "url": string;
          "headers": Array<{
            "name": string;
            "set": true;
          }>;
          "bodyTemplate": string | null;
          "timeoutMs": number;
          "active": boolean;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/agent/http-tools/{id}": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "name": string;
          "description": string;
          "parameters": Record<string, unknown>;
          "method": "POST";
          "url": string;
          "headers": Array<{
            "name": string;
            "set": true;
          }>;
          "bodyTemplate": string | null;
          "timeoutMs": number;
          "active": boolean;
          "createdAt": string;
          "updatedAt": string;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    patch: {
      requestBody: { content: { 'application/json': {
        "name"?: string;
        "description"?: string;
        "parameters"?: Record<string, unknown>;
        "method"?: "POST";
        "url"?: string;
        "bodyTemplate"?: string | null;
        "timeoutMs"?: number;
        "active"?: boolean;
        "headers"?: Array<{
          "name": string;
          "value"?: string;
        }>;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "name": string;
          "description": string;
          "parameters": Record<string, unknown>;
          "method": "POST";
          "url": string;
          "headers": Array<{
            "name": string;
            "set": true;
          }>;
          "bodyTemplate": string | null;
          "timeoutMs": number;
          "active": boolean;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    delete: {
      responses: {
        204: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/agent/http-tools/{id}/test": {
    post: {
      requestBody: { content: { 'application/json': {
        "arguments"?: Record<string, unknown>;
        "contact"?: {
          "phone"?: string;
          "name"?: string;
        };
        "conversationId"?: string;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "request": {
            "method": string;
            "url": string;
            "headers": Record<string, string>;
            "body": string;
          };
          "response": {
            "ok": boolean;
            "status": number | null;
            "body": unknown;
            "error": string | null;
            "snippet": string | null;
            "durationMs": number;
          };
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        429: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/booking/services": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "id": string;
            "name": string;
            "durationMinutes": number;
            "price": {
              "amountMinor": number;
              "currency": string;
            } | null;
            "active": boolean;
            "createdAt": string;
            "updatedAt": string;
          }>;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    post: {
      requestBody: { content: { 'application/json': {
        "name": string;
        "durationMinutes": number;
        "price"?: {
          "amountMinor": number;
          "currency": string;
        } | null;
        "active"?: boolean;
      } } };
      responses: {
        201: { content: { 'application/json': {
          "id": string;
          "name": string;
          "durationMinutes": number;
          "price": {
            "amountMinor": number;
            "currency": string;
          } | null;
          "active": boolean;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/booking/services/{serviceId}": {
    put: {
      requestBody: { content: { 'application/json': {
        "name": string;
        "durationMinutes": number;
        "price"?: {
          "amountMinor": number;
          "currency": string;
        } | null;
        "active"?: boolean;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "name": string;
          "durationMinutes": number;
          "price": {
            "amountMinor": number;
            "currency": string;
          } | null;
          "active": boolean;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    delete: {
      responses: {
        204: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/booking/availability": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "timezone": string;
          "weekly": Array<{
            "weekday": number;
            "start": string;
            "end": string;
          }>;
          "slotStepMinutes": number;
          "reminderMinutesBefore": Array<number>;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    put: {
      requestBody: { content: { 'application/json': {
        "weekly": Array<{
          "weekday": number;
          "start": string;
          "end": string;
        }>;
        "slotStepMinutes"?: number;
        "reminderMinutesBefore"?: Array<number>;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "timezone": string;
          "weekly": Array<{
            "weekday": number;
            "start": string;
            "end": string;
          }>;
          "slotStepMinutes": number;
          "reminderMinutesBefore": Array<number>;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/booking/blocked-ranges": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "id": string;
            "startsAt": string;
            "endsAt": string;
            "reason": string | null;
          }>;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    post: {
      requestBody: { content: { 'application/json': {
        "fromDate": string;
        "toDate"?: string;
        "reason"?: string;
      } | {
        "startsAt": string;
        "endsAt": string;
        "reason"?: string;
      } } };
      responses: {
        201: { content: { 'application/json': {
          "id": string;
          "startsAt": string;
          "endsAt": string;
          "reason": string | null;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/booking/blocked-ranges/{blockedId}": {
    delete: {
      responses: {
        204: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/booking/slots": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "timezone": string;
          "serviceId": string;
          "slots": Array<{
            "start": string;
            "end": string;
            "local": string;
          }>;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/appointments": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "id": string;
            "contact": {
              "id": string;
              "name": string | null;
              "phone": string | null;
            };
            "service": {
              "id": string;
              "name": string;
              "durationMinutes": number;
            };
            "startsAt": string;
            "endsAt": string;
            "status": "PENDING" | "CONFIRMED" | "CANCELLED" | "COMPLETED" | "NO_SHOW";
            "notes": string | null;
            "createdAt": string;
            "updatedAt": string;
          }>;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    post: {
      requestBody: { content: { 'application/json': {
        "contactId": string;
        "serviceId": string;
        "startsAt": string;
        "notes"?: string | null;
        "status"?: "PENDING" | "CONFIRMED";
      } } };
      responses: {
        201: { content: { 'application/json': {
          "id": string;
          "contact": {
            "id": string;
            "name": string | null;
            "phone": string | null;
          };
          "service": {
            "id": string;
            "name": string;
            "durationMinutes": number;
          };
          "startsAt": string;
          "endsAt": string;
          "status": "PENDING" | "CONFIRMED" | "CANCELLED" | "COMPLETED" | "NO_SHOW";
          "notes": string | null;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/appointments/{appointmentId}": {
    patch: {
      requestBody: { content: { 'application/json': {
        "startsAt"?: string;
        "serviceId"?: string;
        "notes"?: string | null;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "contact": {
            "id": string;
            "name": string | null;
            "phone": string | null;
          };
          "service": {
            "id": string;
            "name": string;
            "durationMinutes": number;
          };
          "startsAt": string;
          "endsAt": string;
          "status": "PENDING" | "CONFIRMED" | "CANCELLED" | "COMPLETED" | "NO_SHOW";
          "notes": string | null;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/appointments/{appointmentId}/status": {
    post: {
      requestBody: { content: { 'application/json': {
        "status": "PENDING" | "CONFIRMED" | "CANCELLED" | "COMPLETED" | "NO_SHOW";
      } } };
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "contact": {
            "id": string;
            "name": string | null;
            "phone": string | null;
          };
          "service": {
            "id": string;
            "name": string;
            "durationMinutes": number;
          };
          "startsAt": string;
          "endsAt": string;
          "status": "PENDING" | "CONFIRMED" | "CANCELLED" | "COMPLETED" | "NO_SHOW";
          "notes": string | null;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/conversations": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "id": string;
            "instance": {
              "id": string;
              "name": string;
              "provider": "META" | "BAILEYS" | "SANDBOX";
            };
            "contact": {
              "id": string;
              "name": string | null;
              "phone": string | null;
              "waUserId": string | null;
            };
            "lastMessageAt": string | null;
            "lastMessagePreview": string | null;
            "unreadCount": number;
            "window": {
              "open": boolean;
              "expiresAt": string | null;
            };
            "botDisabled": boolean;
            "botDisabledUntil": string | null;
            "searchMatch"?: {
              "messageId": string;
              "text": string;
              "sentAt": string;
            } | null;
          }>;
          "nextCursor": string | null;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/conversations/{id}/messages": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "id": string;
            "conversationId": string;
            "direction": "INBOUND" | "OUTBOUND";
            "author": "CUSTOMER" | "AI" | "OPERATOR" | "SYSTEM";
            "kind": string;
            "text": string | null;
            "content": unknown;
            "providerMessageId": string | null;
            "status": "RECEIVED" | "PENDING" | "SENDING" | "SENT" | "DELIVERED" | "READ" | "PLAYED" | "FAILED" | "CANCELLED";
            "errorCode": string | null;
            "errorMessage": string | null;
            "sentAt": string;
            "statusAt": string | null;
          }>;
          "nextCursor": string | null;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    post: {
      requestBody: { content: { 'application/json': {
        "text": string;
      } } };
      responses: {
        201: { content: { 'application/json': {
          "message": {
            "id": string;
            "conversationId": string;
            "direction": "INBOUND" | "OUTBOUND";
            "author": "CUSTOMER" | "AI" | "OPERATOR" | "SYSTEM";
            "kind": string;
            "text": string | null;
            "content": unknown;
            "providerMessageId": string | null;
            "status": "RECEIVED" | "PENDING" | "SENDING" | "SENT" | "DELIVERED" | "READ" | "PLAYED" | "FAILED" | "CANCELLED";
            "errorCode": string | null;
            "errorMessage": string | null;
            "sentAt": string;
            "statusAt": string | null;
          };
          "replayed": boolean;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        422: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/conversations/{id}/messages/{messageId}/trace": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "messageIds": Array<string>;
          "provider": string;
          "model": string;
          "prompt": Array<{
            "role": "system" | "user" | "assistant" | "tool";
            "content": string | null;
            "toolCalls"?: Array<{
              "id": string;
              "name": string;
              "arguments": string;
            }>;
            "toolCallId"?: string;
          }>;
          "modelCalls": Array<{
            "round": number;
            "promptTokens": number;
            "completionTokens": number;
            "totalTokens": number;
            "durationMs": number;
            "costUsd": number | null;
          }>;
          "toolCalls": Array<{
            "round": number;
            "name": string;
            "arguments": unknown;
            "result": string | null;
            "error": string | null;
            "durationMs": number;
          }>;
          "tokens": {
            "prompt": number;
            "completion": number;
            "total": number;
          };
          "costUsd": number | null;
          "latency": {
            "bufferWaitMs": number;
            "modelMs": number;
            "toolMs": number;
            "totalMs": number;
          };
          "createdAt": string;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/conversations/{id}/read": {
    post: {
      responses: {
        204: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/messages/{id}/media": {
    get: {
      responses: {
        200: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/contacts": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "id": string;
            "name": string | null;
            "phone": string | null;
            "waUserId": string | null;
            "createdAt": string;
            "fields": Record<string, string | number>;
          }>;
          "nextCursor": string | null;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/contacts/export.csv": {
    get: {
      responses: {
        200: { content?: never };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/contacts/{id}": {
    patch: {
      requestBody: { content: { 'application/json': {
        "botDisabled": boolean;
        "until"?: string | null;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "name": string | null;
          "phone": string | null;
          "waUserId": string | null;
          "botDisabled": boolean;
          "botDisabledUntil": string | null;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/contacts/{id}/fields": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "key": string;
            "label": string;
            "type": "TEXT" | "NUMBER" | "DATE" | "ENUM";
            "options": Array<string>;
            "value": string | number | null;
            "setBy": "AI" | "OPERATOR" | null;
            "setByUserId": string | null;
            "updatedAt": string | null;
          }>;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    put: {
      requestBody: { content: { 'application/json': {
        "values": Record<string, string | number | null>;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "key": string;
            "label": string;
            "type": "TEXT" | "NUMBER" | "DATE" | "ENUM";
            "options": Array<string>;
            "value": string | number | null;
            "setBy": "AI" | "OPERATOR" | null;
            "setByUserId": string | null;
            "updatedAt": string | null;
          }>;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/contact-fields": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "id": string;
            "key": string;
            "label": string;
            "type": "TEXT" | "NUMBER" | "DATE" | "ENUM";
            "options": Array<string>;
            "description": string;
            "position": number;
            "createdAt": string;
            "updatedAt": string;
          }>;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    post: {
      requestBody: { content: { 'application/json': {
        "key": string;
        "label": string;
        "type": "TEXT" | "NUMBER" | "DATE" | "ENUM";
        "options"?: Array<string>;
        "description"?: string;
        "position"?: number;
      } } };
      responses: {
        201: { content: { 'application/json': {
          "id": string;
          "key": string;
          "label": string;
          "type": "TEXT" | "NUMBER" | "DATE" | "ENUM";
          "options": Array<string>;
          "description": string;
          "position": number;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/contact-fields/{id}": {
    patch: {
      requestBody: { content: { 'application/json': {
        "label"?: string;
        "description"?: string;
        "position"?: number;
        "options"?: Array<string>;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "key": string;
          "label": string;
          "type": "TEXT" | "NUMBER" | "DATE" | "ENUM";
          "options": Array<string>;
          "description": string;
          "position": number;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    delete: {
      responses: {
        204: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        403: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/files": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "files": Array<{
            "id": string;
            "title": string;
            "filename": string;
            "mimeType": string;
            "kind": "image" | "audio" | "video" | "document";
            "sizeBytes": number;
            "triggerKeywords": Array<string>;
            "triggerContext": string;
            "order": number;
            "active": boolean;
            "createdAt": string;
            "updatedAt": string;
          }>;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    post: {
      responses: {
        201: { content: { 'application/json': {
          "id": string;
          "title": string;
          "filename": string;
          "mimeType": string;
          "kind": "image" | "audio" | "video" | "document";
          "sizeBytes": number;
          "triggerKeywords": Array<string>;
          "triggerContext": string;
          "order": number;
          "active": boolean;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
        413: { content: { 'application/json': components['schemas']["Error"] } };
        415: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/files/{id}": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "title": string;
          "filename": string;
          "mimeType": string;
          "kind": "image" | "audio" | "video" | "document";
          "sizeBytes": number;
          "triggerKeywords": Array<string>;
          "triggerContext": string;
          "order": number;
          "active": boolean;
          "createdAt": string;
          "updatedAt": string;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    patch: {
      requestBody: { content: { 'application/json': {
        "title"?: string;
        "triggerKeywords"?: Array<string>;
        "triggerContext"?: string;
        "order"?: number;
        "active"?: boolean;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "title": string;
          "filename": string;
          "mimeType": string;
          "kind": "image" | "audio" | "video" | "document";
          "sizeBytes": number;
          "triggerKeywords": Array<string>;
          "triggerContext": string;
          "order": number;
          "active": boolean;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    delete: {
      responses: {
        204: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/files/{id}/content": {
    get: {
      responses: {
        200: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/products": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "id": string;
            "name": string;
            "description": string;
            "priceMinor": number;
            "currency": string;
            "sku": string | null;
            "stock": number | null;
            "images": Array<string>;
            "active": boolean;
            "category": string | null;
            "createdAt": string;
            "updatedAt": string;
            "score"?: number;
          }>;
          "total": number;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    post: {
      requestBody: { content: { 'application/json': {
        "name": string;
        "description"?: string;
        "priceMinor": number;
        "currency": string;
        "sku"?: string | null;
        "stock"?: number | null;
        "active"?: boolean;
        "category"?: string | null;
      } } };
      responses: {
        201: { content: { 'application/json': {
          "id": string;
          "name": string;
          "description": string;
          "priceMinor": number;
          "currency": string;
          "sku": string | null;
          "stock": number | null;
          "images": Array<string>;
          "active": boolean;
          "category": string | null;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/products/export": {
    get: {
      responses: {
        200: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/products/import": {
    post: {
      responses: {
        200: { content: { 'application/json': {
          "created": number;
          "updated": number;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        413: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/products/{productId}": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "name": string;
          "description": string;
          "priceMinor": number;
          "currency": string;
          "sku": string | null;
          "stock": number | null;
          "images": Array<string>;
          "active": boolean;
          "category": string | null;
          "createdAt": string;
          "updatedAt": string;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    patch: {
      requestBody: { content: { 'application/json': {
        "name"?: string;
        "description"?: string;
        "priceMinor"?: number;
        "currency"?: string;
        "sku"?: string | null;
        "stock"?: number | null;
        "active"?: boolean;
        "category"?: string | null;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "name": string;
          "description": string;
          "priceMinor": number;
          "currency": string;
          "sku": string | null;
          "stock": number | null;
          "images": Array<string>;
          "active": boolean;
          "category": string | null;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    delete: {
      responses: {
        204: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/products/{productId}/images": {
    post: {
      responses: {
        201: { content: { 'application/json': {
          "id": string;
          "name": string;
          "description": string;
          "priceMinor": number;
          "currency": string;
          "sku": string | null;
          "stock": number | null;
          "images": Array<string>;
          "active": boolean;
          "category": string | null;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
        413: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/products/{productId}/images/{index}": {
    get: {
      responses: {
        200: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    delete: {
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "name": string;
          "description": string;
          "priceMinor": number;
          "currency": string;
          "sku": string | null;
          "stock": number | null;
          "images": Array<string>;
          "active": boolean;
          "category": string | null;
          "createdAt": string;
          "updatedAt": string;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/orders": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "items": Array<{
            "id": string;
            "reference": string;
            "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
            "currency": string;
            "totalMinor": number;
            "contact": {
              "id": string;
              "name": string | null;
              "phone": string | null;
            };
            "conversationId": string | null;
            "customer": {
              "name": string;
              "address": string | null;
              "notes": string | null;
            };
            "items": Array<{
              "productId": string;
              "name": string;
              "sku": string | null;
              "quantity": number;
              "unitPriceMinor": number;
              "lineTotalMinor": number;
            }>;
            "deliveryAgent": string | null;
            "voucher": {
              "messageId": string;
              "receivedAt": string | null;
              "mediaPath": string;
            } | null;
            "timeline": Array<{
              "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
              "at": string;
              "by": "AI" | "OPERATOR" | "CUSTOMER" | "SYSTEM";
            }>;
            "createdAt": string;
            "updatedAt": string;
          }>;
          "total": number;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
    post: {
      requestBody: { content: { 'application/json': {
        "contactId": string;
        "conversationId"?: string | null;
        "items": Array<{
          "productId": string;
          "quantity": number;
        }>;
        "customer": {
          "name": string;
          "address"?: string | null;
          "notes"?: string | null;
        };
        "awaitVoucher"?: boolean;
      } } };
      responses: {
        201: { content: { 'application/json': {
          "id": string;
          "reference": string;
          "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
          "currency": string;
          "totalMinor": number;
          "contact": {
            "id": string;
            "name": string | null;
            "phone": string | null;
          };
          "conversationId": string | null;
          "customer": {
            "name": string;
            "address": string | null;
            "notes": string | null;
          };
          "items": Array<{
            "productId": string;
            "name": string;
            "sku": string | null;
            "quantity": number;
            "unitPriceMinor": number;
            "lineTotalMinor": number;
          }>;
          "deliveryAgent": string | null;
          "voucher": {
            "messageId": string;
            "receivedAt": string | null;
            "mediaPath": string;
          } | null;
          "timeline": Array<{
            "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
            "at": string;
            "by": "AI" | "OPERATOR" | "CUSTOMER" | "SYSTEM";
          }>;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/orders/{orderId}": {
    get: {
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "reference": string;
          "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
          "currency": string;
          "totalMinor": number;
          "contact": {
            "id": string;
            "name": string | null;
            "phone": string | null;
          };
          "conversationId": string | null;
          "customer": {
            "name": string;
            "address": string | null;
            "notes": string | null;
          };
          "items": Array<{
            "productId": string;
            "name": string;
            "sku": string | null;
            "quantity": number;
            "unitPriceMinor": number;
            "lineTotalMinor": number;
          }>;
          "deliveryAgent": string | null;
          "voucher": {
            "messageId": string;
            "receivedAt": string | null;
            "mediaPath": string;
          } | null;
          "timeline": Array<{
            "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
            "at": string;
            "by": "AI" | "OPERATOR" | "CUSTOMER" | "SYSTEM";
          }>;
          "createdAt": string;
          "updatedAt": string;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/orders/{orderId}/status": {
    post: {
      requestBody: { content: { 'application/json': {
        "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
      } } };
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "reference": string;
          "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
          "currency": string;
          "totalMinor": number;
          "contact": {
            "id": string;
            "name": string | null;
            "phone": string | null;
          };
          "conversationId": string | null;
          "customer": {
            "name": string;
            "address": string | null;
            "notes": string | null;
          };
          "items": Array<{
            "productId": string;
            "name": string;
            "sku": string | null;
            "quantity": number;
            "unitPriceMinor": number;
            "lineTotalMinor": number;
          }>;
          "deliveryAgent": string | null;
          "voucher": {
            "messageId": string;
            "receivedAt": string | null;
            "mediaPath": string;
          } | null;
          "timeline": Array<{
            "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
            "at": string;
            "by": "AI" | "OPERATOR" | "CUSTOMER" | "SYSTEM";
          }>;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/orders/{orderId}/delivery-agent": {
    put: {
      requestBody: { content: { 'application/json': {
        "deliveryAgent": string | null;
      } } };
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "reference": string;
          "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
          "currency": string;
          "totalMinor": number;
          "contact": {
            "id": string;
            "name": string | null;
            "phone": string | null;
          };
          "conversationId": string | null;
          "customer": {
            "name": string;
            "address": string | null;
            "notes": string | null;
          };
          "items": Array<{
            "productId": string;
            "name": string;
            "sku": string | null;
            "quantity": number;
            "unitPriceMinor": number;
            "lineTotalMinor": number;
          }>;
          "deliveryAgent": string | null;
          "voucher": {
            "messageId": string;
            "receivedAt": string | null;
            "mediaPath": string;
          } | null;
          "timeline": Array<{
            "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
            "at": string;
            "by": "AI" | "OPERATOR" | "CUSTOMER" | "SYSTEM";
          }>;
          "createdAt": string;
          "updatedAt": string;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/orders/{orderId}/voucher/confirm": {
    post: {
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "reference": string;
          "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
          "currency": string;
          "totalMinor": number;
          "contact": {
            "id": string;
            "name": string | null;
            "phone": string | null;
          };
          "conversationId": string | null;
          "customer": {
            "name": string;
            "address": string | null;
            "notes": string | null;
          };
          "items": Array<{
            "productId": string;
            "name": string;
            "sku": string | null;
            "quantity": number;
            "unitPriceMinor": number;
            "lineTotalMinor": number;
          }>;
          "deliveryAgent": string | null;
          "voucher": {
            "messageId": string;
            "receivedAt": string | null;
            "mediaPath": string;
          } | null;
          "timeline": Array<{
            "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
            "at": string;
            "by": "AI" | "OPERATOR" | "CUSTOMER" | "SYSTEM";
          }>;
          "createdAt": string;
          "updatedAt": string;
          "customerNotified": {
            "sent": boolean;
            "reason": string | null;
          };
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/orders/{orderId}/voucher/reject": {
    post: {
      responses: {
        200: { content: { 'application/json': {
          "id": string;
          "reference": string;
          "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
          "currency": string;
          "totalMinor": number;
          "contact": {
            "id": string;
            "name": string | null;
            "phone": string | null;
          };
          "conversationId": string | null;
          "customer": {
            "name": string;
            "address": string | null;
            "notes": string | null;
          };
          "items": Array<{
            "productId": string;
            "name": string;
            "sku": string | null;
            "quantity": number;
            "unitPriceMinor": number;
            "lineTotalMinor": number;
          }>;
          "deliveryAgent": string | null;
          "voucher": {
            "messageId": string;
            "receivedAt": string | null;
            "mediaPath": string;
          } | null;
          "timeline": Array<{
            "status": "PENDING" | "AWAITING_VOUCHER" | "PAID" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
            "at": string;
            "by": "AI" | "OPERATOR" | "CUSTOMER" | "SYSTEM";
          }>;
          "createdAt": string;
          "updatedAt": string;
          "customerNotified": {
            "sent": boolean;
            "reason": string | null;
          };
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/sandbox/{instanceId}/messages": {
    post: {
      requestBody: { content: { 'application/json': {
        "from": string;
        "text": string;
        "name"?: string;
      } } };
      responses: {
        202: { content: { 'application/json': {
          "messageId": string;
          "conversationId": string;
          "contactId": string;
          "providerMessageId": string;
          "duplicate": boolean;
        } } };
        400: { content: { 'application/json': components['schemas']["Error"] } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        404: { content: { 'application/json': components['schemas']["Error"] } };
        409: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/live/tickets": {
    post: {
      responses: {
        201: { content: { 'application/json': {
          "ticket": string;
          "expiresIn": number;
        } } };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/live": {
    get: {
      responses: {
        200: { content?: never };
        401: { content: { 'application/json': components['schemas']["Error"] } };
        429: { content: { 'application/json': components['schemas']["Error"] } };
        503: { content: { 'application/json': components['schemas']["Error"] } };
      };
    };
  };
  "/openapi.json": {
    get: {
      responses: {
        200: { content: { 'application/json': Record<string, unknown> } };
      };
    };
  };
}

export interface components {
  schemas: {
    Error: {
      "error": {
        "code": string;
        "message": string;
        "details": unknown;
        "errorId"?: string;
      };
    };
  };
}
