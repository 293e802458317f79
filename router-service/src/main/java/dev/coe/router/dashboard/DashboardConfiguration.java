package dev.coe.router.dashboard;

import dev.coe.gateway.resilience.GatewayClock;
import dev.coe.router.system.AdminProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the live view's recorder, on the gateway's clock so that tests control its time windows. */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

    @Bean
    LiveTraffic liveTraffic(GatewayClock clock, AdminProperties admin) {
        return LiveTraffic.of(clock.wallClock(), LiveTraffic.DEFAULT_WINDOW, LiveTraffic.DEFAULT_BUCKET, admin.recentDecisions());
    }
}
