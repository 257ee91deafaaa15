// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// MusubiCommand: pending, reply, error, latest wins, reset.
TestCase {
    id: testCase
    name: "Command"

    MusubiConnection {
        id: conn
        url: Fixture.url
        pushTimeout: 500
    }
    MusubiRoot {
        id: root
        connection: conn
        module: "Test.Counter"
        instanceId: "command"
    }
    QtObject {
        id: view
        readonly property var store: root.store
    }
    MusubiCommand {
        id: command
        store: root.store
    }
    SignalSpy {
        id: succeeded
        target: command
        signalName: "succeeded"
    }
    SignalSpy {
        id: failed
        target: command
        signalName: "failed"
    }

    function init() {
        tryCompare(root, "status", MusubiRoot.Live);
        command.reset();
        succeeded.clear();
        failed.clear();
    }

    function test_reply() {
        command.name = "increment";
        command.dispatch({ amount: 3 });
        compare(command.pending, true);
        succeeded.wait();
        compare(command.pending, false);
        compare(command.reply.count, succeeded.signalArguments[0][0].count);
        compare(command.error, null);
        verify(command.reply.count >= 3);
    }

    function test_error() {
        command.name = "fail";
        command.dispatch();
        compare(command.pending, true);
        failed.wait();
        compare(command.pending, false);
        verify(command.error !== null);
        compare(command.error.kind, MusubiCommandError.Failed);
        compare(command.error.kindName, "failed");
        compare(command.error.code, "nope");
        compare(command.error.message.length > 0, true);
        compare(command.error.command, "fail");
        compare(command.error.reply.reason, "nope", "the server's error response is readable");
        compare(failed.signalArguments[0][0].code, "nope");
        compare(failed.signalArguments[0][0].kind, MusubiCommandError.Failed);
        compare(command.reply, undefined);
    }

    function test_timeout() {
        command.name = "echo";
        Fixture.withholdNextCommandReply();
        command.dispatch({ v: 1 });
        failed.wait(5000);
        verify(command.error.kind === MusubiCommandError.Timeout);
        compare(command.error.command, "echo");
        compare(command.pending, false);
    }

    MusubiCommand {
        id: byRoot
        root: root
        storeId: ["cart"]
        name: "cartAdd"
    }
    SignalSpy {
        id: byRootSucceeded
        target: byRoot
        signalName: "succeeded"
    }
    SignalSpy {
        id: byRootFailed
        target: byRoot
        signalName: "failed"
    }

    // root + storeId instead of store: no store object needed; a store given wins.
    function test_rootAndStoreId() {
        byRootSucceeded.clear();
        byRootFailed.clear();
        tryVerify(() => view.store.cart);
        const before = view.store.cart.total;
        byRoot.dispatch({ price: 2 });
        byRootSucceeded.wait();
        tryCompare(view.store.cart, "total", before + 2);

        byRoot.storeId = [];
        byRoot.name = "echo";
        byRoot.dispatch({ v: 9 });
        tryCompare(byRootSucceeded, "count", 2);
        compare(byRoot.reply.v, 9);

        // A non-null store wins over root + storeId.
        byRoot.store = view.store.cart;
        byRoot.name = "cartAdd";
        byRoot.storeId = ["nowhere"];
        byRoot.dispatch({ price: 1 });
        tryCompare(byRootSucceeded, "count", 3);
        tryCompare(view.store.cart, "total", before + 3);
        compare(byRootFailed.count, 0);
        byRoot.store = null;
        byRoot.storeId = ["cart"];
    }

    Component {
        id: unmountedRoot
        MusubiRoot {
            active: false
            module: "Test.Counter"
            instanceId: "command-unmounted"
        }
    }

    function test_notConnected() {
        const idle = createTemporaryObject(unmountedRoot, testCase, { connection: conn });
        const cmd = createTemporaryObject(commandComponent, testCase, { root: idle, name: "echo" });
        cmd.dispatch({ v: 1 });
        tryVerify(() => cmd.error !== null);
        compare(cmd.error.kind, MusubiCommandError.NotConnected);
        compare(cmd.error.kindName, "not_connected");

        const orphan = createTemporaryObject(commandComponent, testCase, { name: "echo" });
        orphan.dispatch();
        tryVerify(() => orphan.error !== null);
        verify(orphan.error.kind === MusubiCommandError.NotConnected);
    }

    function test_latestWins() {
        command.name = "echo";
        command.dispatch({ v: 1 });
        command.dispatch({ v: 2 });
        compare(command.pending, true);
        succeeded.wait();
        compare(succeeded.count, 1, "only the latest call reports");
        compare(command.reply.v, 2);
        compare(command.pending, false);
        wait(50);
        compare(succeeded.count, 1);

        // The earlier call succeeds, the latest fails: the failure lands.
        succeeded.clear();
        command.dispatch({ v: 3 });
        command.name = "fail";
        command.dispatch();
        failed.wait();
        compare(command.error.code, "nope");
        wait(50);
        compare(succeeded.count, 0);
    }

    function test_reset() {
        command.name = "echo";
        command.dispatch({ v: 5 });
        command.reset();
        compare(command.pending, false);
        wait(200);
        compare(succeeded.count, 0, "the outcome of a reset call is dropped");
        compare(command.reply, undefined);

        command.dispatch({ v: 6 });
        succeeded.wait();
        compare(command.reply.v, 6);
        command.reset();
        compare(command.reply, undefined);
        compare(command.error, null);
    }

    Component {
        id: commandComponent
        MusubiCommand {}
    }

    // A command object destroyed while its call is in flight is simply not told.
    function test_destroyedWhilePending() {
        const doomed = createTemporaryObject(commandComponent, testCase, { store: root.store, name: "echo" });
        Fixture.withholdNextCommandReply();
        doomed.dispatch({ v: 1 });
        verify(doomed.pending);
        doomed.destroy();
        wait(conn.pushTimeout + 200);
        command.name = "echo";
        command.dispatch({ v: 2 });
        succeeded.wait();
        compare(command.reply.v, 2);
    }

    // A Promise settles even when its store vanished meanwhile.
    function test_promiseOfAVanishedStoreSettles() {
        const cart = view.store.cart;
        let outcome = null;
        Fixture.withholdNextCommandReply();
        cart.dispatch("cartAdd", { price: 1 }).then(r => outcome = "reply", e => outcome = e.kindName);
        root.store.dispatch("showCart", { show: false });
        tryVerify(() => !view.store.cart);
        tryVerify(() => outcome !== null, conn.pushTimeout + 2000);
        verify(outcome === "timeout" || outcome === "unmounted", outcome);
        root.store.dispatch("showCart", { show: true });
        tryVerify(() => view.store.cart);
    }

    // store.dispatch() is the store's own invokable: a Promise with the reply, callbacks
    // instead of a rejection, and a refused non-object payload that never reaches the wire.
    function test_storeDispatch() {
        let reply = null;
        view.store.dispatch("echo", { v: 7 }).then(r => reply = r);
        tryVerify(() => reply !== null);
        compare(reply.v, 7);

        let viaCallback = null;
        let settled = false;
        view.store.dispatch("echo", { v: 8 }, r => viaCallback = r).then(() => settled = true);
        tryVerify(() => settled);
        compare(viaCallback.v, 8);

        let error = null;
        view.store.dispatch("echo", 5).then(() => error = "resolved", e => error = e);
        tryVerify(() => error !== null);
        compare(error.kind, MusubiCommandError.Failed);
        compare(error.command, "echo");
        verify(error.message.indexOf("object") >= 0, error.message);

        let handled = null;
        let result = "pending";
        view.store.dispatch("noSuchCommand", {}, null, e => handled = e).then(r => result = r);
        tryVerify(() => handled !== null);
        compare(handled.code, "unknown command");
        tryVerify(() => result === undefined);
    }

    function test_stateFollowsReply() {
        command.name = "setLabel";
        command.dispatch({ label: "changed" });
        succeeded.wait();
        tryCompare(root.store, "label", "changed");
    }
}
