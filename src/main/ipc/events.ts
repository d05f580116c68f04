/**
 * Services announce events in their own terms (ServiceEvents); the renderer
 * receives them as the contract's events. This module only proves, at compile
 * time, that both name the same events with compatible payloads.
 */
import type { z } from 'zod';
import type { EventName } from '../../shared/ipc/channels';
import type { EVENT_PAYLOADS } from '../../shared/ipc/contract';
import type { ServiceEvents } from '../services/airlock-services';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type PayloadsFit = { [E in EventName]: ServiceEvents[E] extends z.input<(typeof EVENT_PAYLOADS)[E]> ? true : false }[EventName];

export const EVENTS_MATCH_CONTRACT: Same<keyof ServiceEvents, EventName> & PayloadsFit = true;
