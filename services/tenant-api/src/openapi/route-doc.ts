import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * The contract of one route, written next to the router that serves it and collected into the OpenAPI
 * document. A test checks that every route the router registers has one.
 */
export interface RouteDoc {
  method: HttpMethod;
  /** Express-style path relative to the API's mount point (`/instances/:id`). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Needs `Authorization: Bearer <accessToken>`. */
  authenticated: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A `multipart/form-data` body instead of JSON: its text fields, and the name and description of its one file part. */
  multipart?: { fields: z.ZodObject; file: { name: string; description: string } };
  /** The body's media type when it is not JSON (a CSV upload: `text/csv`, described by a string schema). */
  bodyContentType?: string;
  headers?: Array<{ name: string; description: string }>;
  /** `binary`: the response is a file of any content type (no schema). `eventStream`: the response is text/event-stream and `schema` describes one event. */
  success: {
    status: number;
    description: string;
    schema?: z.ZodType;
    html?: boolean;
    eventStream?: boolean;
    binary?: boolean;
    /** Other success statuses with the same body (e.g. 202 when the work is only recorded). */
    also?: Array<{ status: number; description: string }>;
  };
  /**
   * Error statuses this route can answer with, all in the `{error:{code,message,details}}` shape; a status with its
   * own description when the route's codes or details need more than the general one.
   */
  errors: Array<number | { status: number; description: string }>;
}
