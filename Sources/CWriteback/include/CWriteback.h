#ifndef ALIFEED_CWRITEBACK_H
#define ALIFEED_CWRITEBACK_H

/// Starts writing a file's dirty pages to its disk and returns without waiting for them: Linux's
/// `sync_file_range` with `SYNC_FILE_RANGE_WRITE` over the whole file, which Swift's Glibc
/// module does not export (it is a GNU extension). A later `fsync` then has less left to wait
/// for. Returns 0, or -1 with `errno` set; where there is no such call, does nothing and
/// returns 0. It is a hint: nothing is durable until the file is synced.
int alifeed_start_writeback(int fd);

#endif
