//! kubectl's table layout: `text/tabwriter` with minwidth 6, padding 3,
//! space padding (`printers.GetNewTabWriter`); the last column is not padded.

pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let ncols = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            s.push_str(cell);
            if i + 1 < ncols {
                let width = (widths.get(i).copied().unwrap_or(0) + 3).max(6);
                for _ in cell.chars().count()..width {
                    s.push(' ');
                }
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn pads_columns_like_tabwriter() {
        let t = super::render(&["NAME", "READY", "AGE"], &[vec!["web-0".into(), "1/1".into(), "10s".into()]]);
        assert_eq!(t, "NAME    READY   AGE\nweb-0   1/1     10s\n");
    }
}
