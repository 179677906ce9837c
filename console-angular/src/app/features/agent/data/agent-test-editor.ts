import type { AgentTestCaseRequest, AgentTestCaseView, AgentTestExpectation } from '../../../core/api/api-models';

export type ExpectationType = AgentTestExpectation['type'];
export const expectationTypes: ExpectationType[] = ['calls_tool', 'does_not_call_tool', 'mentions', 'does_not_mention'];

/** One expectation as the editor holds it: the tool name or the text, whichever the type needs. */
export interface ExpectationDraft {
  type: ExpectationType;
  value: string;
}
export interface StepDraft {
  customer: string;
  expect: ExpectationDraft[];
}
export interface CaseDraft {
  /** Null for a case not stored yet. */
  id: string | null;
  name: string;
  steps: StepDraft[];
}

export function isToolExpectation(type: ExpectationType): boolean {
  return type === 'calls_tool' || type === 'does_not_call_tool';
}

export function newStep(): StepDraft {
  return { customer: '', expect: [{ type: 'mentions', value: '' }] };
}

export function toCaseDraft(view?: AgentTestCaseView): CaseDraft {
  if (!view) return { id: null, name: '', steps: [newStep()] };
  return {
    id: view.id,
    name: view.name,
    steps: view.steps.map((step) => ({
      customer: step.customer,
      expect: step.expect.map((expectation) => ({ type: expectation.type, value: 'tool' in expectation ? expectation.tool : expectation.text })),
    })),
  };
}

/** The request body; expectations left blank are dropped rather than refused (the API checks the rest). */
export function toCaseRequest(draft: CaseDraft): AgentTestCaseRequest {
  return {
    name: draft.name.trim(),
    steps: draft.steps.map((step) => ({
      customer: step.customer.trim(),
      expect: step.expect
        .filter((expectation) => expectation.value.trim() !== '')
        .map((expectation): AgentTestExpectation =>
          isToolExpectation(expectation.type)
            ? { type: expectation.type as 'calls_tool' | 'does_not_call_tool', tool: expectation.value.trim() }
            : { type: expectation.type as 'mentions' | 'does_not_mention', text: expectation.value.trim() },
        ),
    })),
  };
}
