// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// A C++ subclass of MusubiRoot is a QML MusubiRoot: it mounts itself when
// created by QML, MusubiStatusBanner takes it, and its hooks run.
TestCase {
    id: testCase
    name: "Subclass"

    MusubiConnection {
        id: conn
        url: Fixture.url
    }
    TestCounterRoot {
        id: counter
        connection: conn
        module: "Test.Counter"
        instanceId: "subclass"
        params: ({ count: 4 })
    }
    MusubiStatusBanner {
        id: banner
        connection: conn
        root: counter
    }
    SignalSpy {
        id: received
        target: counter
        signalName: "eventReceived"
    }

    function test_autoMountsAndWorksWithTheBanner() {
        tryCompare(counter, "status", MusubiRoot.Live);
        verify(Fixture.isMounted(counter.rootId));
        verify(counter.ready);
        compare(counter.count, 4);
        compare(banner.root, counter);
        compare(banner.phase, MusubiStatusBanner.Live);

        const store = counter.store;
        store.dispatch("increment", { amount: 2 });
        tryCompare(counter, "count", 6);

        const before = counter.eventCount;
        Fixture.pushEvent(counter.rootId, "ping", { n: 1 });
        tryCompare(counter, "eventCount", before + 1);
        tryCompare(received, "count", 1);
        compare(received.signalArguments[0][0], []);
        compare(received.signalArguments[0][1], "ping");
        compare(received.signalArguments[0][2].n, 1);

        counter.active = false;
        tryVerify(() => !Fixture.isMounted("Test.Counter:subclass"));
        compare(counter.status, MusubiRoot.Unmounted);
        compare(counter.ready, false);
        compare(counter.count, 0);

        counter.active = true;
        tryCompare(counter, "status", MusubiRoot.Live);
        verify(counter.ready);
        compare(counter.count, 4, "mounted again with the params");
    }
}
