"""Everything admitcheck reads, as values: bytes and their decoding, strict JSON, TOML,
flat (CSV) records, profiles, batch records, rule cases. Bad input is reported as a value
(a problem, an error record) or one `AdmitcheckError`, never a traceback."""
