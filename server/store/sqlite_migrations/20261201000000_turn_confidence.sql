-- How sure the speech recogniser was of a spoken answer (0..1; null for typed answers and older turns): a
-- re-score judges an answer heard unreliably the same way as the live score did.
alter table turns add column asr_confidence real;
