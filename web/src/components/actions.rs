//! The menus on each object row: the actions that make sense for the
//! object, each built as a typed core `Command` and run through the console
//! (it appears there as if typed, so a click teaches the kubectl spelling).

use stsplay_core::kubectl::{Command, Delete, Kubectl, NodeAction, PodAction, Resource, Verb};
use stsplay_core::sim::Cascade;
use stsplay_core::{ClaimView, NodeView, PodView, StatefulSetView, VolumeView};
use yew::prelude::*;

use crate::state::Action;

/// A namespaced kubectl command (`-n NS` unless it is `default`).
fn kubectl(verb: Verb, namespace: &str) -> Command {
    let k = Kubectl::new(verb);
    Command::Kubectl(if namespace == stsplay_core::spec::DEFAULT_NAMESPACE { k } else { k.in_namespace(namespace) })
}

/// One menu entry: a label and its command, or a reason it is not offered.
pub struct Item {
    pub label: &'static str,
    pub command: Result<Command, &'static str>,
}

fn item(label: &'static str, command: Command) -> Item {
    Item { label, command: Ok(command) }
}

pub fn pod_items(p: &PodView) -> Vec<Item> {
    let ns = p.namespace.clone();
    let fault = |action| Command::Pod {
        action,
        pod: p.name.clone(),
        namespace: (ns != stsplay_core::spec::DEFAULT_NAMESPACE).then(|| ns.clone()),
    };
    let probe = |label, action| Item {
        label,
        command: if p.readiness_probe {
            Ok(fault(action))
        } else {
            Err("this pod has no readiness probe: it is Ready as soon as its containers run")
        },
    };
    let force = Delete { force: true, grace_period: Some(0), ..Delete::new(Resource::Pods, &p.name) };
    vec![
        item("Delete", kubectl(Verb::Delete(Delete::new(Resource::Pods, &p.name)), &ns)),
        item("Force delete", kubectl(Verb::Delete(force), &ns)),
        item("Crash once", fault(PodAction::Crash { repeat: false })),
        item("Crash loop", fault(PodAction::Crash { repeat: true })),
        if p.ready { probe("Make unready", PodAction::Unready) } else { probe("Make ready", PodAction::Ready) },
        item("Describe", kubectl(Verb::Describe { resource: Resource::Pods, name: p.name.clone() }, &p.namespace)),
    ]
}

pub fn set_items(s: &StatefulSetView) -> Vec<Item> {
    let scale = |replicas: i32| kubectl(Verb::Scale { names: vec![s.name.clone()], replicas }, &s.namespace);
    let orphan = Delete { cascade: Cascade::Orphan, ..Delete::new(Resource::StatefulSets, &s.name) };
    vec![
        item("Scale up (+1)", scale(s.replicas.saturating_add(1))),
        Item {
            label: "Scale down (−1)",
            command: if s.replicas > 0 { Ok(scale(s.replicas - 1)) } else { Err("it has no replicas") },
        },
        item("Scale to 0", scale(0)),
        item(
            "Rollout status",
            kubectl(
                Verb::Rollout {
                    sub: stsplay_core::kubectl::Rollout::Status { timeout_ms: None, watch: true, revision: None },
                    name: s.name.clone(),
                },
                &s.namespace,
            ),
        ),
        item(
            "Describe",
            kubectl(Verb::Describe { resource: Resource::StatefulSets, name: s.name.clone() }, &s.namespace),
        ),
        item("Delete", kubectl(Verb::Delete(Delete::new(Resource::StatefulSets, &s.name)), &s.namespace)),
        item("Delete, keep pods (orphan)", kubectl(Verb::Delete(orphan), &s.namespace)),
    ]
}

pub fn node_items(n: &NodeView) -> Vec<Item> {
    let node = |action| Command::Node { action, node: n.name.clone() };
    let drain = stsplay_core::kubectl::Drain {
        node: n.name.clone(),
        ignore_daemonsets: true,
        delete_emptydir_data: false,
        force: false,
        grace_period: None,
        timeout_ms: None,
    };
    vec![
        if n.ready {
            item("Stop the kubelet (down)", node(NodeAction::Down))
        } else {
            item("Start the kubelet (up)", node(NodeAction::Up))
        },
        if n.schedulable {
            item("Cordon", Command::Kubectl(Kubectl::new(Verb::Cordon { node: n.name.clone() })))
        } else {
            item("Uncordon", Command::Kubectl(Kubectl::new(Verb::Uncordon { node: n.name.clone() })))
        },
        item("Drain", Command::Kubectl(Kubectl::new(Verb::Drain(drain)))),
        item(
            "Describe",
            Command::Kubectl(Kubectl::new(Verb::Describe { resource: Resource::Nodes, name: n.name.clone() })),
        ),
    ]
}

pub fn claim_items(c: &ClaimView) -> Vec<Item> {
    vec![
        item("Delete", kubectl(Verb::Delete(Delete::new(Resource::Claims, &c.name)), &c.namespace)),
        item("Describe", kubectl(Verb::Describe { resource: Resource::Claims, name: c.name.clone() }, &c.namespace)),
    ]
}

pub fn volume_items(v: &VolumeView) -> Vec<Item> {
    vec![item("Delete", Command::Kubectl(Kubectl::new(Verb::Delete(Delete::new(Resource::Volumes, &v.name)))))]
}

/// What a row menu acts on (a copy of the row's view).
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Pod(PodView),
    Set(StatefulSetView),
    Node(NodeView),
    Claim(ClaimView),
    Volume(VolumeView),
}

impl Target {
    fn what(&self) -> String {
        match self {
            Target::Pod(p) => format!("pod {}", p.name),
            Target::Set(s) => format!("statefulset {}", s.name),
            Target::Node(n) => format!("node {}", n.name),
            Target::Claim(c) => format!("claim {}", c.name),
            Target::Volume(v) => format!("volume {}", v.name),
        }
    }

    fn items(&self) -> Vec<Item> {
        match self {
            Target::Pod(p) => pod_items(p),
            Target::Set(s) => set_items(s),
            Target::Node(n) => node_items(n),
            Target::Claim(c) => claim_items(c),
            Target::Volume(v) => volume_items(v),
        }
    }
}

#[derive(Properties, Clone, PartialEq)]
pub struct MenuProps {
    pub target: Target,
    pub dispatch: Callback<Action>,
}

/// A disclosure menu of the target's actions; its accessible name says which
/// object it acts on. The entries are rendered only while it is open: a
/// table of 50 pods re-rendered on every tick of its AGE column carries one
/// `<summary>` per row, not 50 menus.
#[function_component(RowMenu)]
pub fn row_menu(props: &MenuProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let details: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(details.open());
        })
    };
    let what = props.target.what();
    html! {
        <details class="actions" {ontoggle}>
            <summary>{ "Actions" }<span class="visually-hidden">{ format!(" for {what}") }</span></summary>
            if *open {
                <div class="menu" role="group" aria-label={format!("Actions for {what}")}>
                    { for props.target.items().into_iter().map(|i| entry(i, &props.dispatch)) }
                </div>
            }
        </details>
    }
}

fn entry(i: Item, dispatch: &Callback<Action>) -> Html {
    match i.command {
        Ok(command) => {
            let text = command.to_string();
            let dispatch = dispatch.clone();
            let run = text.clone();
            let onclick = Callback::from(move |e: MouseEvent| {
                // Close the menu: the action's output is in the console.
                if let Some(details) = e
                    .target()
                    .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                    .and_then(|el| el.closest("details").ok().flatten())
                {
                    let _ = details.remove_attribute("open");
                }
                dispatch.emit(Action::Run(run.clone()));
            });
            html! { <button type="button" title={text} {onclick}>{ i.label }</button> }
        }
        Err(why) => html! {
            <button type="button" disabled=true title={why}>{ i.label }<span class="why">{ format!(" ({why})") }</span></button>
        },
    }
}
