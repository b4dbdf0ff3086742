-- GIN indexes of runs written compressed at once instead of through the pending list (up to 4 MB
-- of uncompressed entries per index, flushed by whichever insert fills it or by a vacuum).
ALTER INDEX "Run_search_idx" SET (fastupdate = off);
ALTER INDEX "Run_tags_idx" SET (fastupdate = off);
SELECT gin_clean_pending_list('"Run_search_idx"'::regclass);
SELECT gin_clean_pending_list('"Run_tags_idx"'::regclass);
