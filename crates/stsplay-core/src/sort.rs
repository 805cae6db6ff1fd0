//! One stable sort for the whole crate.
//!
//! Every `slice::sort_by` call with its own closure instantiates the standard
//! library's stable sort (drift sort, quicksort, small-sort and merges) anew:
//! with some twenty call sites that was about 70 KB of the web bundle. Here
//! the standard sort is instantiated once, on indices, with the comparison
//! behind a `dyn`; each call site adds only a small permutation. The result
//! is the standard stable sort's, so orders (and transcripts) are unchanged.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`, like `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    {
        let items: &[T] = v;
        sort_indices(&mut order, &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        });
    }
    permute(v, &order);
}

/// Sorts `v` stably by a key, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably, like `slice::sort`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|a, b| cmp(*a, *b));
}

/// Reorders `v` in place so that position `i` holds what was at `order[i]`
/// (`order` is a permutation of `0..v.len()`), one cycle at a time.
fn permute<T>(v: &mut [T], order: &[usize]) {
    let mut placed = vec![false; v.len()];
    for start in 0..v.len() {
        if placed.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut i = start;
        loop {
            if let Some(p) = placed.get_mut(i) {
                *p = true;
            }
            let Some(&j) = order.get(i) else { break };
            if j == start || j >= v.len() {
                break;
            }
            v.swap(i, j);
            i = j;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn equals_the_standard_stable_sort() {
        let mut rng = Rng::new(7);
        for len in [0usize, 1, 2, 3, 10, 57, 300] {
            let v: Vec<(u64, usize)> = (0..len).map(|i| (rng.below(5), i)).collect();
            let mut ours = v.clone();
            let mut std = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "len {len}");
            let mut ours = v.clone();
            sort_by_key(&mut ours, |x| std::cmp::Reverse(x.0));
            let mut std = v.clone();
            std.sort_by_key(|x| std::cmp::Reverse(x.0));
            assert_eq!(ours, std);
        }
        let mut words = vec!["b", "a", "c", "a"];
        sort(&mut words);
        assert_eq!(words, ["a", "a", "b", "c"]);
    }
}
