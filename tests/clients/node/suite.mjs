// What the Node client tests share: test(NAME, BODY) runs one test and
// counts it; finish(SUITE) prints "SUITE: N passed, N failed" (a suite that
// ran nothing fails) and sets the exit status.
let passed = 0;
let failed = 0;

export function test(name, body) {
  try {
    body();
    passed += 1;
    console.log(`ok ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}\n${String(error.stack || error).replace(/^/gm, '    ')}`);
  }
}

export function finish(suite) {
  if (passed + failed === 0) failed = 1;
  console.log(`${suite}: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}
