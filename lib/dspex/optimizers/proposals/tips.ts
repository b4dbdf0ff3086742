/**
 * Hints one of which is given, at random, to each instruction proposal so proposals differ in
 * style (MIPROv2's "tips"; "none" gives no hint).
 */
export const PROPOSAL_TIPS = Object.freeze({
  none: "",
  creative: "Feel free to be inventive: an unusual framing of the task is welcome.",
  simple: "Write a short, plain instruction.",
  descriptive: "Write a detailed instruction that explains the task fully.",
  high_stakes: "Frame the task as a high-stakes situation where a wrong answer is costly.",
  persona: 'Open with a persona suited to the task (for example "You are a ...").',
} as const);

export type ProposalTip = keyof typeof PROPOSAL_TIPS;

export const PROPOSAL_TIP_NAMES = Object.freeze(Object.keys(PROPOSAL_TIPS) as ProposalTip[]);
