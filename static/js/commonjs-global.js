// diff-match-patch ships as a CommonJS file; this lets it load as a plain script and leave its
// `diff_match_patch` global behind.
var module = { exports: {} };
