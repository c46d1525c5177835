// HTTP Digest access authentication (RFC 7616; RFC 2617/2069 answers too) as pure functions: no I/O.
export * from './params.js';
export * from './digest.js';
