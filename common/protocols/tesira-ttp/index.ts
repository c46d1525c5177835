// Tesira Text Protocol: pure builders and parsers, no I/O (convention 2).
export * from './ttp-value.js';
export * from './ttp-reply.js';
export * from './ttp-command.js';
export * from './line-splitter.js';
