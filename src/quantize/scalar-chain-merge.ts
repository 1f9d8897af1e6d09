// Moved to src/inference/scalar-chain-merge.ts (the OCR reader runs the folded float models, and vision/ sits below quantize/);
// re-exported here for the quantizer's files and tests.
export * from '../inference/scalar-chain-merge.js';
