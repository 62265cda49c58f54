import CWriteback
import Foundation
import Testing

/// A first load asks the kernel to start writing each flush's pages (Linux `sync_file_range`),
/// so the commit's sync has little left to wait for. The call is a hint; these hold that it
/// reaches the system (a bad descriptor is refused) and accepts a file with unwritten pages.
@Suite struct WritebackTests {
    @Test func writebackStartsOnAFileWithDirtyPages() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("pages.bin")
        try Data(repeating: 0x61, count: 1 << 20).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(alifeed_start_writeback(fd) == 0)
    }

    #if os(Linux)
    @Test func aBadDescriptorIsRefused() {
        #expect(alifeed_start_writeback(-1) == -1)
        #expect(errno == EBADF)
    }
    #endif
}
