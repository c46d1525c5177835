// VISCA (Sony RS-232 camera control) as pure functions: encoders, decoders, framing, unit conversion.
export * from './frames.js';
export * from './commands.js';
export * from './replies.js';
export * from './decode-command.js';
export * from './units.js';
