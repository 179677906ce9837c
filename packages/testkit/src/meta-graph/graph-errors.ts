/**
 * Meta's Graph error envelope for the codes the platform handles (protocols.md §1.6). Meta says to key on
 * `code` + `error_data.details`; the HTTP statuses here are the ones Meta typically pairs with them.
 */
interface GraphErrorTemplate {
  httpStatus: number;
  message: string;
  details: string;
  type?: string;
}

const templates: Record<number, GraphErrorTemplate> = {
  0: { httpStatus: 401, message: '(#0) AuthException', details: 'We were unable to authenticate the app user.' },
  1: { httpStatus: 500, message: '(#1) An unknown error occurred', details: 'An unknown error occurred.' },
  2: { httpStatus: 503, message: '(#2) Service temporarily unavailable', details: 'Temporary due to downtime or due to being overloaded.' },
  4: { httpStatus: 400, message: '(#4) Application request limit reached', details: 'The app has reached its API call rate limit.' },
  100: { httpStatus: 400, message: '(#100) Invalid parameter', details: 'The request included one or more unsupported or misspelled parameters.' },
  190: {
    httpStatus: 401,
    message: 'Error validating access token: Session has expired.',
    details: 'Your access token has expired.',
  },
  130429: { httpStatus: 400, message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' },
  131000: { httpStatus: 500, message: '(#131000) Something went wrong', details: 'Message failed to send due to an unknown error.' },
  131008: { httpStatus: 400, message: '(#131008) Required parameter is missing', details: 'The request is missing a required parameter.' },
  131009: { httpStatus: 400, message: '(#131009) Parameter value is not valid', details: 'One or more parameter values are invalid.' },
  131016: { httpStatus: 503, message: '(#131016) Service unavailable', details: 'A service is temporarily unavailable.' },
  131026: { httpStatus: 400, message: '(#131026) Message undeliverable', details: 'Unable to deliver message.' },
  131047: {
    httpStatus: 400,
    message: '(#131047) Re-engagement message',
    details: 'More than 24 hours have passed since the recipient last replied to the sender number.',
  },
  131056: {
    httpStatus: 400,
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    details: 'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
  },
  131057: { httpStatus: 503, message: '(#131057) Account in maintenance mode', details: 'Business Account is in maintenance mode.' },
};

export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_data: { messaging_product: 'whatsapp'; details: string };
    error_subcode?: number;
    fbtrace_id: string;
  };
}

export function graphErrorResponse(
  code: number,
  overrides: { message?: string; details?: string; httpStatus?: number; errorSubcode?: number } = {},
): { httpStatus: number; body: GraphErrorBody } {
  const template = templates[code] ?? { httpStatus: 400, message: `(#${code}) Error`, details: `Error ${code}.` };
  const body: GraphErrorBody = {
    error: {
      message: overrides.message ?? template.message,
      type: template.type ?? 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details: overrides.details ?? template.details },
      fbtrace_id: `A${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`,
    },
  };
  if (overrides.errorSubcode !== undefined) body.error.error_subcode = overrides.errorSubcode;
  return { httpStatus: overrides.httpStatus ?? template.httpStatus, body };
}
