import { z } from 'zod';
import type { RouteDoc } from '../openapi/route-doc.ts';
import {
  agentTestCaseBodySchema,
  agentTestCaseListSchema,
  agentTestCaseViewSchema,
  agentTestRunViewSchema,
  runAgentTestsBodySchema,
} from './agent-tests.schema.ts';

const tag = 'agent';
const testIdParams = z.object({ testId: z.string().uuid() });

export const agentTestRouteDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/agent/tests',
    tag,
    authenticated: true,
    summary: 'The agent’s test cases (scripted conversations with expectations)',
    success: { status: 200, description: 'Every test case of the business, oldest first.', schema: agentTestCaseListSchema },
    errors: [401],
  },
  {
    method: 'post',
    path: '/agent/tests',
    tag,
    authenticated: true,
    summary: 'Write a test case',
    body: agentTestCaseBodySchema,
    success: { status: 201, description: 'The stored case.', schema: agentTestCaseViewSchema },
    errors: [400, 401, 409],
  },
  {
    method: 'put',
    path: '/agent/tests/{testId}',
    tag,
    authenticated: true,
    summary: 'Replace a test case',
    params: testIdParams,
    body: agentTestCaseBodySchema,
    success: { status: 200, description: 'The case after the change.', schema: agentTestCaseViewSchema },
    errors: [400, 401, 404, 409],
  },
  {
    method: 'delete',
    path: '/agent/tests/{testId}',
    tag,
    authenticated: true,
    summary: 'Delete a test case',
    params: testIdParams,
    success: { status: 204, description: 'Deleted.' },
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/agent/tests/run',
    tag,
    authenticated: true,
    summary: 'Run test cases in the sandbox against the saved or a draft agent configuration',
    description:
      'Each case is a fresh conversation; nothing is sent or stored. Tools that change something outside the reply are not run: the call is checked and the model is told it succeeded.',
    body: runAgentTestsBodySchema,
    success: { status: 200, description: 'Pass/fail per case, with each turn’s answer, tool calls and verdicts.', schema: agentTestRunViewSchema },
    errors: [400, 401, 404, 503],
  },
];
