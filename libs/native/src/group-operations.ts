/**
 * Consumer groups seen from the native APIs (REST under /v1/streams/{name}/groups, NATS on
 * shardline.api.<name>): which groups a stream has, and each group's members, leases,
 * checkpoints and lag. Members join, heartbeat and checkpoint over REST (member-operations.ts),
 * NATS (shardline.group.*) or in process (GroupDelivery); see docs/architecture.md.
 */
import type { GroupView } from '@shardline/streams';
import { defineOperation } from './operation';
import { groupList, groupParams, groupView, noQuery, streamParams } from './schemas';

function groupJson(view: GroupView) {
  return {
    ...view,
    createdAt: view.createdAt.toISOString(),
    members: view.members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString(), lastHeartbeat: m.lastHeartbeat.toISOString() })),
  };
}

export const listGroups = defineOperation({
  name: 'listGroups',
  method: 'GET',
  path: '/v1/streams/{name}/groups',
  summary: "List a stream's consumer groups",
  params: streamParams,
  query: noQuery,
  response: groupList,
  async run({ groups }, { params }) {
    const list = await groups.list(params.name);
    return { groups: list.map((g) => ({ groupName: g.groupName, createdAt: g.createdAt.toISOString() })) };
  },
});

export const describeGroup = defineOperation({
  name: 'describeGroup',
  method: 'GET',
  path: '/v1/streams/{name}/groups/{group}',
  summary: "Describe a consumer group: members, each shard's holder, checkpoint and lag",
  params: groupParams,
  query: noQuery,
  response: groupView,
  run: async ({ groups }, { params }) => groupJson(await groups.describe(params.name, params.group)),
});

export const deleteGroup = defineOperation({
  name: 'deleteGroup',
  method: 'DELETE',
  path: '/v1/streams/{name}/groups/{group}',
  summary: 'Delete a consumer group with its checkpoints (its members must join again)',
  params: groupParams,
  query: noQuery,
  response: groupParams.describe('The group deleted'),
  async run({ groups }, { params }) {
    await groups.delete(params.name, params.group);
    return params;
  },
});
