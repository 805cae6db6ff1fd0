//! The cluster view: the clock, the StatefulSet summary and the tables.

use std::collections::BTreeMap;
use std::rc::Rc;

use stsplay_core::{ClaimView, DnsRecordView, NodeView, PodView, Simulation, Snapshot, VolumeView};
use yew::prelude::*;

use crate::components::actions;
use crate::format;
use crate::state::Action;

/// Props for [`ClusterView`].
#[derive(Properties, Clone)]
pub struct ClusterProps {
    pub sim: Rc<Simulation>,
    pub snapshot: Rc<Snapshot>,
    /// Runs a row menu's command (one callback for the page's life).
    pub dispatch: Callback<Action>,
}

impl PartialEq for ClusterProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim)
            && Rc::ptr_eq(&self.snapshot, &other.snapshot)
            && self.dispatch == other.dispatch
    }
}

/// Clock, StatefulSet summary and the four tables.
#[function_component(ClusterView)]
pub fn cluster_view(props: &ClusterProps) -> Html {
    let snap = &*props.snapshot;
    let sim = &*props.sim;
    let steps = sim.steps().len();
    html! {
        <>
            <div class="summary">
                <p class="clock">
                    <span class="time">{ format::clock(sim.now_ms()) }</span>
                    <span class="meta">
                        { format!(" · {steps} step{}", if steps == 1 { "" } else { "s" }) }
                        { if sim.has_pending() { " · more pending" } else { " · settled" } }
                    </span>
                </p>
                <ul class="statefulsets" aria-label="StatefulSets">
                    if snap.statefulsets.is_empty() {
                        <li class="empty">{ "No StatefulSets" }</li>
                    }
                    { for snap.statefulsets.iter().map(|sts| html! {
                        <li>
                            <strong>{ format!("statefulset.apps/{}", format::qualified(&sts.namespace, &sts.name)) }</strong>
                            { " READY " }<span class="ready">{ format::sts_ready(sts) }</span>
                            { for format::status_counts(sts, &snap.pods).into_iter().map(|(status, n)| html! {
                                <span class={classes!("count", format::status_class(&status))}>
                                    { format!("{status} {n}") }
                                </span>
                            }) }
                            { " " }<actions::RowMenu target={actions::Target::Set(sts.clone())} dispatch={props.dispatch.clone()} />
                        </li>
                    }) }
                </ul>
            </div>
            { table("Pods", &["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "ACTIONS"],
                rows(snap.pods.iter().map(|p| (format::qualified(&p.namespace, &p.name), Row::Pod(p.clone()))), &props.dispatch)) }
            { table("PersistentVolumeClaims", &["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "ACTIONS"],
                rows(snap.pvcs.iter().map(|c| (format::qualified(&c.namespace, &c.name), Row::Claim(c.clone()))), &props.dispatch)) }
            { table("PersistentVolumes", &["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "ACTIONS"],
                rows(snap.pvs.iter().map(|v| (v.name.clone(), Row::Volume(v.clone()))), &props.dispatch)) }
            { table("Nodes", &["NAME", "STATUS", "ACTIONS"],
                rows(snap.nodes.iter().map(|n| (n.name.clone(), Row::Node(n.clone()))), &props.dispatch)) }
            { table("DNS records", &["NAME", "TYPE", "DATA"], rows(dns_keys(&snap.dns).into_iter().zip(snap.dns.iter().map(|r| Row::Dns(r.clone()))), &props.dispatch)) }
        </>
    }
}

/// One row of the four tables of [`ClusterView`]: a copy of the object's view,
/// so that a row component holds its own row and never a whole snapshot (a
/// row that does not change keeps its props, and with them what they hold).
#[derive(Clone, Debug, PartialEq)]
enum Row {
    Pod(PodView),
    Claim(ClaimView),
    Volume(VolumeView),
    Node(NodeView),
    Dns(DnsRecordView),
}

/// Keys for the DNS rows: name, type and data (a name has one A record per
/// endpoint), with a counter should a record ever repeat, since keys must be
/// unique.
fn dns_keys(records: &[DnsRecordView]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    records
        .iter()
        .map(|r| {
            let key = format!("{} {} {}", r.name, r.record_type, r.data);
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                key
            } else {
                format!("{key} #{n}")
            }
        })
        .collect()
}

/// One [`TableRow`] per object, keyed (keys are unique within a table), so a
/// row inserted in the middle moves no other row's text.
fn rows(keyed: impl Iterator<Item = (String, Row)>, dispatch: &Callback<Action>) -> Vec<Html> {
    keyed.map(|(key, row)| html! { <TableRow {key} {row} dispatch={dispatch.clone()} /> }).collect()
}

/// Props for [`TableRow`]: equal when the row is, so a Step re-renders only
/// the rows it changed.
#[derive(Properties, Clone, PartialEq)]
struct RowProps {
    row: Row,
    /// The page's one callback: equal across renders, so rows stay memoized.
    dispatch: Callback<Action>,
}

/// One table row, from the snapshot's view of the object.
#[function_component(TableRow)]
fn table_row(props: &RowProps) -> Html {
    match &props.row {
        Row::Pod(p) => html! {
            <tr>
                <td>{ format::qualified(&p.namespace, &p.name) }</td>
                <td>{ &p.ready_containers }</td>
                <td class={classes!("st", format::status_class(&p.status))}>{ &p.status }</td>
                <td>{ p.restarts }</td>
                <td>{ &p.age }</td>
                <td>{ format::or_none(&p.ip) }</td>
                <td>{ format::or_none(&p.node) }</td>
                <td class="act"><actions::RowMenu target={actions::Target::Pod(p.clone())} dispatch={props.dispatch.clone()} /></td>
            </tr>
        },
        Row::Claim(c) => html! {
            <tr>
                <td>{ format::qualified(&c.namespace, &c.name) }</td>
                <td class={classes!("st", format::status_class(&c.phase))}>{ &c.phase }</td>
                <td class="long">{ c.volume.clone().unwrap_or_default() }</td>
                <td>{ c.capacity.clone().unwrap_or_default() }</td>
                <td>{ &c.access_modes }</td>
                <td>{ c.storage_class.clone().unwrap_or_else(|| "<unset>".to_string()) }</td>
                <td class="act"><actions::RowMenu target={actions::Target::Claim(c.clone())} dispatch={props.dispatch.clone()} /></td>
            </tr>
        },
        Row::Volume(v) => html! {
            <tr>
                <td class="long">{ &v.name }</td>
                <td>{ &v.capacity }</td>
                <td>{ &v.access_modes }</td>
                <td>{ &v.reclaim_policy }</td>
                <td class={classes!("st", format::status_class(&v.phase))}>{ &v.phase }</td>
                <td>{ v.claim.clone().unwrap_or_default() }</td>
                <td>{ v.storage_class.clone().unwrap_or_default() }</td>
                <td class="act"><actions::RowMenu target={actions::Target::Volume(v.clone())} dispatch={props.dispatch.clone()} /></td>
            </tr>
        },
        Row::Node(n) => html! {
            <tr>
                <td>{ &n.name }</td>
                <td class={classes!("st", if n.ready { "ok" } else { "bad" })}>{ format::node_status(n) }</td>
                <td class="act"><actions::RowMenu target={actions::Target::Node(n.clone())} dispatch={props.dispatch.clone()} /></td>
            </tr>
        },
        Row::Dns(r) => html! {
            <tr>
                <td class="long">{ &r.name }</td>
                <td>{ &r.record_type }</td>
                <td>{ &r.data }</td>
            </tr>
        },
    }
}

/// A captioned table; with no rows it shows one "No resources found" row.
fn table(caption: &str, headers: &[&str], rows: Vec<Html>) -> Html {
    html! {
        <div class="table-wrap">
            <table>
                <caption>{ caption }</caption>
                <thead>
                    <tr>{ for headers.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr>
                </thead>
                <tbody>
                    if rows.is_empty() {
                        <tr class="empty"><td colspan={headers.len().to_string()}>{ "No resources found" }</td></tr>
                    } else {
                        { for rows }
                    }
                </tbody>
            </table>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn record(name: &str, data: &str) -> DnsRecordView {
        DnsRecordView { name: name.into(), record_type: "A".into(), data: data.into() }
    }

    #[test]
    fn dns_row_keys_are_unique_even_for_a_repeated_record() {
        let records = [record("nginx", "10.244.1.2"), record("nginx", "10.244.2.2"), record("nginx", "10.244.1.2")];
        let keys = dns_keys(&records);
        assert_eq!(keys, ["nginx A 10.244.1.2", "nginx A 10.244.2.2", "nginx A 10.244.1.2 #2"]);
    }
}
