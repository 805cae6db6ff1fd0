//! The CLI's reads, bounded: a file or standard input is read up to its
//! limit plus one byte, never further, so `apply -f /dev/zero` or a
//! multi-GB file costs at most the limit; a file that is not a regular file
//! (a directory, FIFO or device) is refused before it is opened, since
//! opening a FIFO blocks until a writer comes.
//!
//! Shared by `stsplay run` (`main.rs`) and the data-driven test suites
//! (`tests/common`).

use std::io::Read;
use std::path::Path;

/// Reads at most `limit` bytes of UTF-8 from `reader`; more is an error.
/// `what` names the input in the message ("\"web.yaml\"", "standard input").
pub fn read_bounded(mut reader: impl Read, limit: usize, what: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    // At most limit + 1 bytes are ever asked for; the buffer grows by
    // doubling, so its peak stays under twice that.
    while bytes.len() <= limit {
        let want = chunk.len().min(limit + 1 - bytes.len());
        let n = match reader.read(&mut chunk[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("error reading {what}: {e}")),
        };
        bytes.extend_from_slice(&chunk[..n]);
    }
    if bytes.len() > limit {
        return Err(format!("error reading {what}: it is larger than the limit of {limit} bytes"));
    }
    String::from_utf8(bytes).map_err(|_| format!("error reading {what}: it is not UTF-8 text"))
}

/// Reads the regular file at `path` (at most `limit` bytes). `shown` is the
/// path as the user wrote it, for the messages.
pub fn read_file_bounded(path: &Path, shown: &str, limit: usize) -> Result<String, String> {
    let what = format!("\"{shown}\"");
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("the path \"{shown}\" does not exist"),
        _ => format!("error reading {what}: {e}"),
    })?;
    if meta.is_dir() {
        return Err(format!("error reading {what}: it is a directory (stsplay reads one file per -f)"));
    }
    if !meta.is_file() {
        return Err(format!("error reading {what}: it is not a regular file (a FIFO, socket or device)"));
    }
    if meta.len() > u64::try_from(limit).unwrap_or(u64::MAX) {
        return Err(format!("error reading {what}: it is {} bytes; the limit is {limit} bytes", meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("error reading {what}: {e}"))?;
    read_bounded(file, limit, &what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_limit_plus_one_byte() {
        assert_eq!(read_bounded(&b"abc"[..], 3, "x"), Ok("abc".to_string()));
        // An endless reader: only limit + 1 bytes are ever asked for.
        let err = read_bounded(std::io::repeat(b'a'), 10, "standard input").unwrap_err();
        assert_eq!(err, "error reading standard input: it is larger than the limit of 10 bytes");
        assert!(read_bounded(&[0xff_u8][..], 3, "x").unwrap_err().contains("not UTF-8"));
    }

    #[test]
    fn non_regular_files_are_refused() {
        let dir = std::env::temp_dir();
        let err = read_file_bounded(&dir, "tmp", 10).unwrap_err();
        assert!(err.contains("is a directory"), "{err}");
        #[cfg(unix)]
        {
            let err = read_file_bounded(Path::new("/dev/zero"), "/dev/zero", 10).unwrap_err();
            assert_eq!(err, "error reading \"/dev/zero\": it is not a regular file (a FIFO, socket or device)");
        }
        let err = read_file_bounded(Path::new("/nonexistent/x.yaml"), "x.yaml", 10).unwrap_err();
        assert_eq!(err, "the path \"x.yaml\" does not exist");
    }
}
