//! Resource quantities (`1Gi`, `500Mi`, `2G`), as `k8s.io/apimachinery/pkg/api/resource`
//! parses them, limited to what storage requests use: a non-negative integer or
//! decimal number with an optional binary (`Ki`..`Ei`) or decimal (`k`..`E`) suffix.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity {
    /// The value in bytes (rounded up, as the API rounds storage to whole units).
    pub bytes: u128,
    /// The text as written, which is also how kubectl prints it.
    pub text: String,
}

impl Quantity {
    /// Parses a quantity; the error is the API server's wording.
    pub fn parse(text: &str) -> Result<Quantity, String> {
        let err = || {
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".to_string()
        };
        let t = text.trim();
        let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+')).unwrap_or(t.len());
        let (num, suffix) = t.split_at(split);
        if num.is_empty() || num.matches('.').count() > 1 {
            return Err(err());
        }
        let num = num.trim_start_matches('+');
        let mult: u128 = match suffix {
            "" => 1,
            "Ki" => 1 << 10,
            "Mi" => 1 << 20,
            "Gi" => 1 << 30,
            "Ti" => 1 << 40,
            "Pi" => 1 << 50,
            "Ei" => 1 << 60,
            "k" => 1_000,
            "M" => 1_000_000,
            "G" => 1_000_000_000,
            "T" => 1_000_000_000_000,
            "P" => 1_000_000_000_000_000,
            "E" => 1_000_000_000_000_000_000,
            _ => return Err(err()),
        };
        let (int_part, frac_part) = match num.split_once('.') {
            Some((i, f)) => (i, f),
            None => (num, ""),
        };
        let int: u128 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| err())? };
        let mut bytes = int.checked_mul(mult).ok_or_else(err)?;
        if !frac_part.is_empty() {
            let frac: u128 = frac_part.parse().map_err(|_| err())?;
            let scale = 10u128.checked_pow(frac_part.len() as u32).ok_or_else(err)?;
            let add = frac.checked_mul(mult).ok_or_else(err)?;
            bytes = bytes.checked_add(add.div_ceil(scale)).ok_or_else(err)?;
        }
        Ok(Quantity { bytes, text: t.to_string() })
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_binary_and_decimal_suffixes() {
        assert_eq!(Quantity::parse("1Gi").map(|q| q.bytes), Ok(1 << 30));
        assert_eq!(Quantity::parse("500Mi").map(|q| q.bytes), Ok(500 << 20));
        assert_eq!(Quantity::parse("2G").map(|q| q.bytes), Ok(2_000_000_000));
        assert_eq!(Quantity::parse("1.5Gi").map(|q| q.bytes), Ok(3 << 29));
        assert_eq!(Quantity::parse("1024").map(|q| q.bytes), Ok(1024));
    }

    #[test]
    fn rejects_garbage() {
        assert!(Quantity::parse("lots").is_err());
        assert!(Quantity::parse("1Gb").is_err());
        assert!(Quantity::parse("").is_err());
        assert!(Quantity::parse("1..2Gi").is_err());
    }

    #[test]
    fn orders_by_size() {
        let a = Quantity::parse("1Gi").unwrap_or_else(|e| panic!("{e}"));
        let b = Quantity::parse("2G").unwrap_or_else(|e| panic!("{e}"));
        assert!(a.bytes < b.bytes);
    }
}
