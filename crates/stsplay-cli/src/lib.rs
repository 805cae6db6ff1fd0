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
pub fn read_bounded(reader: impl Read, limit: usize, what: &str) -> Result<String, String> {
    let bytes = read_bytes_bounded(reader, limit, what)?;
    String::from_utf8(bytes).map_err(|_| format!("error reading {what}: it is not UTF-8 text"))
}

/// At most `limit` bytes from `reader`; more is an error.
pub fn read_bytes_bounded(mut reader: impl Read, limit: usize, what: &str) -> Result<Vec<u8>, String> {
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
    Ok(bytes)
}

/// A manifest's bytes as kubectl's FileVisitor decodes them
/// (cli-runtime `pkg/resource/visitor.go`:
/// `transform.NewReader(f, unicode.BOMOverride(unicode.UTF8.NewDecoder()))`):
/// a UTF-16 byte-order mark (either order) transcodes the rest from UTF-16, a
/// UTF-8 one is dropped; bytes that do not decode become U+FFFD, as
/// `x/text/encoding` replaces them.
pub fn decode_manifest(bytes: &[u8]) -> String {
    let utf16 = |rest: &[u8], be: bool| {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| match c {
                [a, b] if be => u16::from_be_bytes([*a, *b]),
                [a, b] => u16::from_le_bytes([*a, *b]),
                // An odd trailing byte.
                _ => 0xFFFD,
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// [`read_file_bounded`] for a manifest (`apply -f`): decoded by [`decode_manifest`].
pub fn read_manifest_bounded(path: &Path, shown: &str, limit: usize) -> Result<String, String> {
    let bytes = read_file_bytes_bounded(path, shown, limit)?;
    Ok(decode_manifest(&bytes))
}

/// Reads the regular file at `path` (at most `limit` bytes) as UTF-8. `shown`
/// is the path as the user wrote it, for the messages.
pub fn read_file_bounded(path: &Path, shown: &str, limit: usize) -> Result<String, String> {
    let bytes = read_file_bytes_bounded(path, shown, limit)?;
    String::from_utf8(bytes).map_err(|_| format!("error reading \"{shown}\": it is not UTF-8 text"))
}

fn read_file_bytes_bounded(path: &Path, shown: &str, limit: usize) -> Result<Vec<u8>, String> {
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
    read_bytes_bounded(file, limit, &what)
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
    fn manifests_decode_like_kubectl() {
        assert_eq!(decode_manifest(b"\xEF\xBB\xBFkind: Node\n"), "kind: Node\n");
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("k: é\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode_manifest(&le), "k: é\n");
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("k: v\n".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode_manifest(&be), "k: v\n");
        assert_eq!(decode_manifest(b"a: \xff\n"), "a: \u{FFFD}\n");
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
