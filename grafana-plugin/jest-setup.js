// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// Testing Library waits 1 s by default for findBy*/waitFor: tight for a loaded CI machine. A
// wait ends as soon as its condition holds, so a longer bound slows no passing test.
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 10_000 });
