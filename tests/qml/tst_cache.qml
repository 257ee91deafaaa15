// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// The mount cache from QML (docs/cache.md): the grouped property, a root that
// shows the state of its last mount while the server does not answer, then
// goes live; MusubiStatusBanner says "offline — showing saved data" meanwhile.
TestCase {
    id: testCase
    name: "Cache"

    // The grouped property as an application writes it (never opened: inactive).
    MusubiConnection {
        id: declared
        active: false
        url: Fixture.url
        cache.enabled: true
        cache.storage: MusubiCache.Disk
        cache.directory: Fixture.temporaryDirectory + "/declared"
        cache.gcTime: 60000
        cache.buster: "v2"
        cache.writeThrottle: 250
    }

    // A connection with the memory cache; writes are not throttled, so nothing waits.
    Component {
        id: memoryConnectionComponent
        MusubiConnection {
            cache.enabled: true
            cache.writeThrottle: 0
        }
    }
    Component {
        id: plainConnectionComponent
        MusubiConnection {}
    }
    Component {
        id: rootComponent
        MusubiRoot {
            property int revalidations: 0
            // fromCache as it was each time the store changed.
            property var fromCacheSeen: []
            module: "Test.Counter"
            onRevalidated: revalidations++
            onFromCacheChanged: fromCacheSeen.push(fromCache)
        }
    }
    Component {
        id: bannerComponent
        MusubiStatusBanner {}
    }

    function cleanup() {
        Fixture.refuseConnections = false;
        Fixture.refuseMounts = false;
    }

    // A root on its own connection (no cache): it mounts, changes the state
    // on the server and unmounts, the way another client would.
    function changeOnServer(instanceId, command, payload) {
        const other = createTemporaryObject(plainConnectionComponent, testCase, { url: Fixture.url });
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: other, instanceId: instanceId });
        tryCompare(root, "status", MusubiRoot.Live);
        let done = false;
        root.store.dispatch(command, payload).then(() => done = true);
        tryVerify(() => done);
        root.destroy();
        other.destroy();
        tryVerify(() => !Fixture.isMounted("Test.Counter:" + instanceId));
    }

    function test_groupedProperty() {
        const cache = declared.cache;
        verify(cache);
        compare(cache.enabled, true);
        compare(cache.storage, MusubiCache.Disk);
        compare(cache.directory, Fixture.temporaryDirectory + "/declared");
        compare(cache.gcTime, 60000);
        compare(cache.buster, "v2");
        compare(cache.writeThrottle, 250);

        cache.storage = MusubiCache.Memory;
        compare(cache.storage, MusubiCache.Memory);
        // Setting a directory means the disk.
        cache.directory = Fixture.temporaryDirectory + "/other";
        compare(cache.storage, MusubiCache.Disk);
        cache.gcTime = -5;
        compare(cache.gcTime, 0, "negative times are clamped");
    }

    function test_defaults() {
        const conn = createTemporaryObject(plainConnectionComponent, testCase, { active: false });
        compare(conn.cache.enabled, false);
        compare(conn.cache.storage, MusubiCache.Memory);
        compare(conn.cache.gcTime, 300000);
        compare(conn.cache.writeThrottle, 1000);
        compare(conn.cache.buster, "");
        verify(conn.cache.directory.endsWith("/musubi"), conn.cache.directory);
        const root = createTemporaryObject(rootComponent, testCase, { active: false });
        compare(root.cache, true);
        compare(root.fromCache, false);
        compare(root.fetching, false);
    }

    function test_offlineStart_data() {
        return [
            { tag: "shared", protocol: MusubiConnection.SharedChannel },
            { tag: "per-root", protocol: MusubiConnection.PerRootChannel },
        ];
    }

    // Mount, change, unmount; the server goes away; mount again: the saved
    // state shows at once, marked fromCache; the server comes back: live.
    function test_offlineStart(data) {
        const instanceId = "offline-" + data.tag;
        const conn = createTemporaryObject(memoryConnectionComponent, testCase,
                                           { url: Fixture.url, protocol: data.protocol });
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: conn, instanceId: instanceId });
        const banner = createTemporaryObject(bannerComponent, testCase, { connection: conn, root: root });
        verify(root.fetching, "waiting for the first initial patch");
        tryCompare(root, "status", MusubiRoot.Live);
        compare(root.fromCache, false, "nothing saved yet");
        compare(root.fetching, false);
        compare(root.revalidations, 0);
        root.store.dispatch("increment", { amount: 7 });
        root.store.dispatch("setLabel", { label: "saved" });
        tryCompare(root.store, "label", "saved");
        compare(root.store.count, 7);

        root.active = false;
        tryVerify(() => !Fixture.isMounted(root.rootId));
        compare(root.ready, false);
        // Another client changes the state while this one is away.
        changeOnServer(instanceId, "increment", { amount: 3 });

        Fixture.refuseConnections = true;
        Fixture.dropConnections();
        tryCompare(conn, "status", MusubiConnection.Reconnecting);

        root.active = true;
        tryCompare(root, "fromCache", true);
        verify(root.ready);
        compare(root.store.count, 7, "the saved count");
        compare(root.store.label, "saved");
        compare(root.store.messages.count, 0, "streams start empty");
        verify(root.fetching);
        compare(root.version, 0, "not live");
        compare(root.status, MusubiRoot.Connecting);
        compare(banner.phase, MusubiStatusBanner.Offline);
        compare(banner.text, "offline — showing saved data");
        verify(banner.shown);

        // A command waits for the live state, then goes out.
        let reply = null;
        root.store.dispatch("increment", { amount: 1 }).then(r => reply = r);

        Fixture.refuseConnections = false;
        tryCompare(root, "status", MusubiRoot.Live, 15000);
        compare(root.fromCache, false);
        compare(root.fetching, false);
        compare(root.revalidations, 1);
        compare(root.fromCacheSeen, [true, false]);
        tryVerify(() => reply !== null);
        compare(reply.count, 11, "sent after the live state (10) arrived");
        tryCompare(root.store, "count", 11);
        compare(root.store.label, "saved");
        compare(banner.phase, MusubiStatusBanner.Live);
        compare(banner.shown, false);
    }

    // The disk cache outlives its connection: a new connection (a new run of
    // the app) shows the saved state before its server is up.
    function test_diskCacheOutlivesItsConnection() {
        const directory = Fixture.temporaryDirectory + "/disk";
        const first = createTemporaryObject(plainConnectionComponent, testCase, { url: Fixture.url });
        first.cache.enabled = true;
        first.cache.directory = directory;
        first.cache.buster = "build-1";
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: first, instanceId: "disk" });
        tryCompare(root, "status", MusubiRoot.Live);
        root.store.dispatch("increment", { amount: 4 });
        tryCompare(root.store, "count", 4);
        first.cache.flush();
        root.destroy();
        first.destroy();
        tryVerify(() => !Fixture.isMounted("Test.Counter:disk"));

        const second = createTemporaryObject(plainConnectionComponent, testCase,
                                             { url: Fixture.unusedUrl() });
        second.cache.enabled = true;
        second.cache.directory = directory;
        second.cache.buster = "build-1";
        const again = createTemporaryObject(rootComponent, testCase,
                                            { connection: second, instanceId: "disk" });
        // Only the root: the banner watches the root's own connection.
        const banner = createTemporaryObject(bannerComponent, testCase, { root: again });
        tryCompare(again, "fromCache", true);
        compare(again.store.count, 4);
        verify(second.status !== MusubiConnection.Connected);
        compare(banner.text, "offline — showing saved data");

        // The server comes up (here: the URL that serves it).
        second.url = Fixture.url;
        tryCompare(again, "status", MusubiRoot.Live, 15000);
        compare(again.fromCache, false);
        compare(again.revalidations, 1);
        compare(again.store.count, 4);
        compare(banner.phase, MusubiStatusBanner.Live);
    }

    // What is not used: another buster, a root that opts out, a cleared cache.
    function test_nothingSavedIsShown_data() {
        return [
            { tag: "buster", instanceId: "unused-buster" },
            { tag: "cache: false", instanceId: "unused-optout" },
            { tag: "clearCache()", instanceId: "unused-cleared" },
        ];
    }

    function test_nothingSavedIsShown(data) {
        const conn = createTemporaryObject(memoryConnectionComponent, testCase, { url: Fixture.url });
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: conn, instanceId: data.instanceId,
                                             cache: data.tag !== "cache: false" });
        tryCompare(root, "status", MusubiRoot.Live);
        root.store.dispatch("increment", { amount: 2 });
        tryCompare(root.store, "count", 2);
        root.active = false;
        tryVerify(() => !Fixture.isMounted(root.rootId));
        if (data.tag === "buster")
            conn.cache.buster = "v2";
        else if (data.tag === "clearCache()")
            conn.clearCache();

        Fixture.refuseConnections = true;
        Fixture.dropConnections();
        tryCompare(conn, "status", MusubiConnection.Reconnecting);
        root.cache = true;
        root.active = true;
        tryCompare(root, "status", MusubiRoot.Connecting);
        verify(root.fetching);
        compare(root.fromCache, false);
        compare(root.ready, false);
        compare(root.store, null);

        Fixture.refuseConnections = false;
        tryCompare(root, "status", MusubiRoot.Live, 15000);
        compare(root.store.count, 2);
        compare(root.revalidations, 0, "no cached state was replaced");
    }

    // A command dispatched while the cached state shows fails with
    // MountFailed when the server then refuses the mount.
    function test_queuedCommandFailsWhenTheMountIsRefused() {
        const conn = createTemporaryObject(memoryConnectionComponent, testCase, { url: Fixture.url });
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: conn, instanceId: "refused" });
        const banner = createTemporaryObject(bannerComponent, testCase, { connection: conn, root: root });
        tryCompare(root, "status", MusubiRoot.Live);
        root.store.dispatch("increment", { amount: 1 });
        tryCompare(root.store, "count", 1);
        root.active = false;
        tryVerify(() => !Fixture.isMounted(root.rootId));

        Fixture.refuseConnections = true;
        Fixture.dropConnections();
        tryCompare(conn, "status", MusubiConnection.Reconnecting);
        root.active = true;
        tryCompare(root, "fromCache", true);
        let error = null;
        root.store.dispatch("increment", { amount: 1 }).then(() => {}, e => error = e);

        Fixture.refuseMounts = true;
        Fixture.refuseConnections = false;
        tryCompare(root, "status", MusubiRoot.Failed, 15000);
        tryVerify(() => error !== null);
        compare(error.kind, MusubiCommandError.MountFailed);
        compare(error.kindName, "mount_failed");
        compare(error.command, "increment");
        compare(banner.phase, MusubiStatusBanner.Failed);
    }
}
