/**
 * An AWS Chatbot (Amazon Q Developer in chat applications) custom notification. Chatbot renders
 * a message it receives from SNS only when it has this shape; anything else is dropped silently.
 * `additionalContext` takes string values only.
 */
export interface ChatNotification {
  version: '1.0';
  source: 'custom';
  /** Unique event identifier. */
  id?: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps: string[];
    keywords: string[];
  };
  metadata: {
    /** Notifications sharing a threadId are grouped in one chat thread. */
    threadId?: string;
    summary: string;
    eventType: string;
    relatedResources?: string[];
    additionalContext: Record<string, string>;
  };
}

/** Slack and Teams short codes, so the severity shows at a glance. */
export const SEVERITY_EMOJI = {
  CRITICAL: ':rotating_light:',
  HIGH: ':warning:',
  MEDIUM: ':large_orange_diamond:',
  LOW: ':information_source:',
} as const;
