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
        compare(command.error.kind, "failed");
        compare(command.error.code, "nope");
        compare(command.error.command, "fail");
        compare(failed.signalArguments[0][0].code, "nope");
        compare(command.reply, undefined);
    }

    function test_timeout() {
        command.name = "echo";
        Fixture.withholdNextCommandReply();
        command.dispatch({ v: 1 });
        failed.wait(5000);
        compare(command.error.kind, "timeout");
        compare(command.pending, false);
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
        cart.dispatch("cartAdd", { price: 1 }).then(r => outcome = "reply", e => outcome = e.kind);
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
        compare(error.kind, "failed");
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
