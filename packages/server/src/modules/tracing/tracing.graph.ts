import type { ClusterDetail, ClusterPage, ClusterQuery, ClusterSummary, ContactCategory, ContactEvidence, ContactStatus, GraphEdge, GraphEdgeType, GraphNode, GraphSearchResult } from '@gridline/shared';
import type { Db } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import { casesRepository } from '../cases/cases.repository.js';
import { contactsRepository } from './contacts.repository.js';

/**
 * Transmission chains, aggregated on the server so that the browser never gets 25,000 nodes at once: the
 * graph of cases and contacts (rejected contacts left out) under a node is split into clusters (connected
 * components); a list of cluster summaries comes first, then one cluster's nodes on demand, and a search names
 * the cluster a case number or a person is in.
 *
 * Nodes: a case ('c:<caseId>'); a contact person: the resident ('r:<residentId>', one node however many cases
 * name them — and the case's node when that resident became a case), else the contact row ('k:<contactId>').
 * Edges: case → contact by how it was found; close contact → secondary contact; contact → the case they became.
 */
interface Built {
  nodes: Map<string, { node: GraphNode; firstAt: number; lastAt: number; places: string[] }>;
  edges: GraphEdge[];
  clusterOf: Map<string, string>;
  clusters: Map<string, ClusterSummary>;
}

/** Union-find over string keys, kept as integer slots (union by size, path halving): 25,000 nodes in a few ms. */
class UnionFind {
  private readonly index = new Map<string, number>();
  private readonly keys: string[] = [];
  private parent = new Int32Array(1024);
  private size = new Int32Array(1024);

  private slot(x: string): number {
    let i = this.index.get(x);
    if (i === undefined) {
      i = this.keys.length;
      if (i >= this.parent.length) {
        const p = new Int32Array(this.parent.length * 2);
        p.set(this.parent);
        this.parent = p;
        const z = new Int32Array(this.size.length * 2);
        z.set(this.size);
        this.size = z;
      }
      this.index.set(x, i);
      this.keys.push(x);
      this.parent[i] = i;
      this.size[i] = 1;
    }
    return i;
  }

  private root(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }

  /** The cluster's id: the smallest key in it (stable while the cluster keeps its earliest case). */
  find(x: string): number {
    return this.root(this.slot(x));
  }

  union(a: string, b: string): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
  }
}

export class TracingGraph {
  constructor(private readonly deps: { db: Db }) {}

  private async build(scope: Scope, requested: string | undefined): Promise<Built> {
    scope.require('trace.read');
    const node = scope.narrow(requested);
    const { db } = this.deps;
    const [cases, contacts] = await Promise.all([
      casesRepository.filtered(db, scope, node, {}).select(['c.id', 'c.case_no', 'c.person_name', 'c.resident_id', 'c.confirmed_at', 'c.created_at']).execute(),
      contactsRepository.graphRows(db, scope, node),
    ]);
    const nodes: Built['nodes'] = new Map();
    const caseOfResident = new Map<string, string>();
    for (const c of cases) {
      const at = Number(c.confirmed_at ?? c.created_at);
      const id = `c:${c.id}`;
      nodes.set(id, { node: { id, kind: 'case', label: `${c.case_no} ${c.person_name}`, category: null, status: null, caseId: c.id }, firstAt: at, lastAt: at, places: [] });
      if (c.resident_id) caseOfResident.set(c.resident_id, id);
    }
    const uf = new UnionFind();
    for (const id of nodes.keys()) uf.find(id);
    const nodeOfContact = new Map<string, string>();
    for (const k of contacts) nodeOfContact.set(k.id, k.resident_id ? (caseOfResident.get(k.resident_id) ?? `r:${k.resident_id}`) : `k:${k.id}`);
    const edges: GraphEdge[] = [];
    const seenEdge = new Set<string>();
    const addEdge = (source: string, target: string, type: GraphEdgeType) => {
      const key = `${source}>${target}`;
      if (source === target || seenEdge.has(key)) return;
      seenEdge.add(key);
      edges.push({ source, target, type });
      uf.union(source, target);
    };
    for (const k of contacts) {
      const id = nodeOfContact.get(k.id)!;
      const at = Number(k.exposure_at);
      let entry = nodes.get(id);
      if (!entry) {
        entry = { node: { id, kind: 'contact', label: k.person_name, category: k.category as ContactCategory, status: k.status as ContactStatus, caseId: null }, firstAt: at, lastAt: at, places: [] };
        nodes.set(id, entry);
      } else {
        entry.firstAt = Math.min(entry.firstAt, at);
        entry.lastAt = Math.max(entry.lastAt, at);
        // A person close to one case and secondary to another shows their closest category.
        if (entry.node.kind === 'contact' && k.category === 'close') entry.node.category = 'close';
        if (entry.node.kind === 'contact' && k.status === 'confirmed') entry.node.status = 'confirmed';
      }
      if (k.source === 'colocation') for (const e of JSON.parse(k.evidence) as ContactEvidence[]) if (e.placeName) entry.places.push(e.placeName);
      const caseNode = `c:${k.case_id}`;
      if (!nodes.has(caseNode)) continue; // the case lies outside the node asked for
      const via = k.via_contact_id ? nodeOfContact.get(k.via_contact_id) : undefined;
      if (k.source === 'secondary' && via) addEdge(via, id, 'secondary');
      else addEdge(caseNode, id, id.startsWith('c:') ? 'became_case' : (k.source as GraphEdgeType));
    }
    // A cluster is named by its smallest node key ('c:…' sorts first: a case), whatever the union order.
    const nameOf = new Map<number, string>();
    for (const id of nodes.keys()) {
      const r = uf.find(id);
      const cur = nameOf.get(r);
      if (cur === undefined || id < cur) nameOf.set(r, id);
    }
    const clusterOf = new Map<string, string>();
    const clusters = new Map<string, ClusterSummary & { placeCounts: Map<string, number> }>();
    for (const [id, e] of nodes) {
      const root = nameOf.get(uf.find(id))!;
      clusterOf.set(id, root);
      let c = clusters.get(root);
      if (!c) clusters.set(root, (c = { id: root, size: 0, cases: 0, contacts: 0, firstAt: e.firstAt, lastAt: e.lastAt, caseNos: [], places: [], placeCounts: new Map() }));
      c.size++;
      if (e.node.kind === 'case') {
        c.cases++;
        c.caseNos.push(e.node.label.split(' ')[0]!);
      } else c.contacts++;
      c.firstAt = Math.min(c.firstAt, e.firstAt);
      c.lastAt = Math.max(c.lastAt, e.lastAt);
      for (const p of e.places) c.placeCounts.set(p, (c.placeCounts.get(p) ?? 0) + 1);
    }
    const out = new Map<string, ClusterSummary>();
    for (const [root, c] of clusters) {
      const { placeCounts, ...rest } = c;
      out.set(root, {
        ...rest,
        caseNos: rest.caseNos.sort().slice(0, 5),
        places: [...placeCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([p]) => p),
      });
    }
    return { nodes, edges, clusterOf, clusters: out };
  }

  /** Cluster summaries, largest first (clusters holding at least one case). */
  async clusters(scope: Scope, q: ClusterQuery): Promise<ClusterPage> {
    const b = await this.build(scope, q.node);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const list = [...b.clusters.values()].filter((c) => c.cases > 0 && c.size >= (q.minSize ?? 1)).sort((a, c) => c.size - a.size || c.cases - a.cases || a.firstAt - c.firstAt || a.id.localeCompare(c.id));
    let cases = 0;
    let contacts = 0;
    for (const c of list) {
      cases += c.cases;
      contacts += c.contacts;
    }
    return { items: list.slice((page - 1) * pageSize, page * pageSize), total: list.length, page, pageSize, totals: { cases, contacts, clusters: list.length } };
  }

  /** One cluster's nodes and edges: every case, then contacts up to the limit (closest categories first). */
  async cluster(scope: Scope, id: string, q: { node?: string; limit?: number }): Promise<ClusterDetail> {
    const b = await this.build(scope, q.node);
    const summary = b.clusters.get(id);
    if (!summary) throw new AppError('GRIDLINE_NOT_FOUND');
    const limit = q.limit ?? 1500;
    const members = [...b.nodes.entries()].filter(([nid]) => b.clusterOf.get(nid) === id).map(([, e]) => e.node);
    const rank = (n: GraphNode) => (n.kind === 'case' ? 0 : n.category === 'close' ? 1 : n.category === 'secondary' ? 2 : 3);
    members.sort((a, c) => rank(a) - rank(c) || a.id.localeCompare(c.id));
    const kept = members.slice(0, limit);
    const keep = new Set(kept.map((n) => n.id));
    return { summary, nodes: kept, edges: b.edges.filter((e) => keep.has(e.source) && keep.has(e.target)), truncated: members.length > kept.length };
  }

  /** Where a case number or a person (name prefix) is: its cluster and node, to focus it. */
  async search(scope: Scope, q: { q: string; node?: string }): Promise<GraphSearchResult> {
    const b = await this.build(scope, q.node);
    const text = q.q.trim().toUpperCase();
    const matches: GraphSearchResult['matches'] = [];
    for (const [id, e] of b.nodes) {
      const label = e.node.label.toUpperCase();
      const hit = e.node.kind === 'case' ? label.startsWith(text) || (label.split(' ')[1] ?? '').startsWith(text) : label.startsWith(text);
      if (hit) matches.push({ clusterId: b.clusterOf.get(id)!, nodeId: id, label: e.node.label, kind: e.node.kind });
      if (matches.length >= 20) break;
    }
    return { matches };
  }
}
