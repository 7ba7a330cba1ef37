/**
 * Every background feature, in the order they are set up. One file per feature in this folder; a
 * meta-test (tests/unit/background-features.test.ts) fails when a file here is missing from this list
 * or from ARCHITECTURE.md "Background features".
 */
import type { Feature } from '../host';
import detection from './detection';
import detectorRegistration from './detector-registration';
import badge from './badge';
import embedLabels from './embed-labels';
import banner from './banner';
import explanationPage from './explanation-page';
import mutes from './mutes';
import probing from './probing';
import log from './log';
import popup from './popup';
import region from './region';
import datasetUpdates from './dataset-updates';
import welcome from './welcome';
import observedStatus from './observed-status';

export const FEATURES: readonly Feature[] = [detection, detectorRegistration, badge, embedLabels, banner, explanationPage, mutes, probing, log, popup, region, observedStatus, datasetUpdates, welcome];
