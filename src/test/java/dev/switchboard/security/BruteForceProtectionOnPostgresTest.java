package dev.switchboard.security;

import dev.switchboard.testsupport.OnPostgres;
import org.springframework.context.annotation.Import;

@OnPostgres
@Import(BruteForceProtectionTest.Clocks.class) // a nested configuration is found on the test class itself only
class BruteForceProtectionOnPostgresTest extends BruteForceProtectionTest {
}
