"""Decision records as adr-tools and log4brains write them."""

from __future__ import annotations

# What `adr new` and `adr new -s 1` write (adr-tools 3.0), by hand here.
ADR_TOOLS_OLD = """\
# 1. Record architecture decisions

Date: 2024-03-01

## Status

Superceded by [2. Use PostgreSQL](0002-use-postgresql.md)

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as described by Michael Nygard.

## Consequences

See Michael Nygard's article, linked above.
"""

ADR_TOOLS_NEW = """\
# 2. Use PostgreSQL

Date: 2024-03-02

## Status

Accepted

Supercedes [1. Record architecture decisions](0001-record-architecture-decisions.md)

## Context

Many writers.

## Decision

PostgreSQL.

## Consequences

A server to run.
"""

# As log4brains' own template fills it in.
HAND_WRITTEN = """\
# Use Markdown Architectural Decision Records

- Status: superseded by [20240310-use-log4brains](20240310-use-log4brains.md) <!-- optional -->
- Deciders: Ada, Grace
- Date: 2024-03-01
- Tags: doc

Technical Story: none

## Context and Problem Statement

We want to record architectural decisions.

## Considered Options

- MADR 2.1.2
- Nygard

## Decision Outcome

Chosen option: "MADR 2.1.2", because it is lean.

### Positive Consequences <!-- optional -->

- structured

### Negative Consequences <!-- optional -->

- more sections

## Pros and Cons of the Options

### Nygard

- Good, because simple
- Bad, because no options

## Links

- Supersedes [20240101-first](20240101-first.md)
"""
