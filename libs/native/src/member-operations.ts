/**
 * Members of a consumer group over REST, for clients with nothing but HTTP (curl included):
 *
 *   POST   /v1/streams/{name}/groups/{group}/members                        join -> memberId, shards, links
 *   GET    /v1/streams/{name}/groups/{group}/members/{memberId}/records     batches (Server-Sent Events, member-feed.ts)
 *   POST   /v1/streams/{name}/groups/{group}/members/{memberId}/checkpoints {shardId, sequenceNumber, epoch}
 *   POST   /v1/streams/{name}/groups/{group}/members/{memberId}/heartbeat   (an open records connection beats by itself)
 *   DELETE /v1/streams/{name}/groups/{group}/members/{memberId}             leave
 *
 * The member's session lives on the gateway that answered the join (HostedMembers, shared with
 * the NATS transport); another gateway answers 404 for it. A batch's next one follows only once
 * a checkpoint reaches the batch's lastSequenceNumber. These routes are REST only: over NATS,
 * members use the shardline.group subjects (docs/nats-api.md).
 */
import type { HostedMember, MemberAssignment } from '@shardline/streams';
import { defineOperation } from './operation';
import {
  checkpointBody,
  checkpointResult,
  groupParams,
  joinBody,
  joinResult,
  leaveResult,
  memberAssignment,
  memberParams,
  noQuery,
  type MemberAssignmentView,
} from './schemas';

export function assignmentView(memberId: string, assignment: MemberAssignment | undefined): MemberAssignmentView {
  const shards = (assignment?.shards ?? []).map(({ shardId, epoch, checkpoint }) => ({ shardId, epoch, ...(checkpoint ? { checkpoint } : {}) }));
  return { memberId, shards };
}

/** The member's routes, relative to the server: what a join answers as `links`. */
function linksOf(member: HostedMember) {
  const self = `/v1/streams/${encodeURIComponent(member.streamName)}/groups/${member.groupName}/members/${member.memberId}`;
  return { self, records: `${self}/records`, checkpoints: `${self}/checkpoints`, heartbeat: `${self}/heartbeat` };
}

export const joinGroup = defineOperation({
  name: 'joinGroup',
  method: 'POST',
  path: '/v1/streams/{name}/groups/{group}/members',
  summary: 'Join a consumer group (created on first join): answers the member id, its shards and its URLs on this gateway',
  status: 201,
  params: groupParams,
  query: noQuery,
  body: joinBody,
  response: joinResult,
  async run({ members }, { params, body }) {
    const { member, assignment } = await members.join(params.name, params.group, {
      ...(body.memberId ? { memberId: body.memberId } : {}),
      autoCheckpoint: false, // the member's checkpoint is its acknowledgement
    });
    const { heartbeatMs, memberTtlMs } = members.settings;
    return { ...assignmentView(member.memberId, assignment), streamName: params.name, groupName: params.group, heartbeatMs, memberTtlMs, links: linksOf(member) };
  },
});

export const checkpointMember = defineOperation({
  name: 'checkpointGroupMember',
  method: 'POST',
  path: '/v1/streams/{name}/groups/{group}/members/{memberId}/checkpoints',
  summary: "Checkpoint a shard (fenced by the lease's epoch); at a batch's lastSequenceNumber it also acknowledges the batch",
  params: memberParams,
  query: noQuery,
  body: checkpointBody,
  response: checkpointResult,
  async run({ members, groups }, { params, body }) {
    const member = members.get(params.memberId, params.name, params.group);
    await groups.checkpoint(member.memberId, body.shardId, body.sequenceNumber, body.epoch);
    return { ...body, acknowledged: member.acknowledge(body.shardId, body.epoch, body.sequenceNumber) };
  },
});

export const heartbeatMember = defineOperation({
  name: 'heartbeatGroupMember',
  method: 'POST',
  path: '/v1/streams/{name}/groups/{group}/members/{memberId}/heartbeat',
  summary: "Keep the member alive and answer its shards (not needed while its records connection is open)",
  params: memberParams,
  query: noQuery,
  response: memberAssignment,
  async run({ members }, { params }) {
    members.get(params.memberId, params.name, params.group);
    return assignmentView(params.memberId, await members.heartbeat(params.memberId));
  },
});

export const leaveGroup = defineOperation({
  name: 'leaveGroup',
  method: 'DELETE',
  path: '/v1/streams/{name}/groups/{group}/members/{memberId}',
  summary: 'Leave the consumer group: its shards go to the other members at once',
  params: memberParams,
  query: noQuery,
  response: leaveResult,
  async run({ members }, { params }) {
    members.get(params.memberId, params.name, params.group);
    await members.leave(params.memberId);
    return params;
  },
});

/** REST-only operations (routing and the OpenAPI document, not the NATS control subjects). */
export const memberOperations = [joinGroup, checkpointMember, heartbeatMember, leaveGroup] as const;
