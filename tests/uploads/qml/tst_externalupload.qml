// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiUploadFixture

// External-mode uploads (docs/protocol.md §8.7) declared in QML: uploaders are
// registered on the connection by name, one written in QML, one the built-in
// HTTP PUT uploader.
TestCase {
    id: testCase
    name: "ExternalUpload"

    // What the script uploader saw, and how it behaves.
    property var jobs: []
    property bool finishJobs: true
    property MusubiUploadJob heldJob: null
    property int cancelledJobs: 0

    MusubiScriptUploader {
        id: script
        onUploadRequested: job => {
            testCase.jobs.push({
                ref: job.ref,
                url: job.meta.url,
                name: job.meta.name,
                size: job.size,
                uploaderName: job.uploaderName,
                local: job.filePath.length > 0
            });
            job.cancelled.connect(() => ++testCase.cancelledJobs);
            job.reportProgress(40);
            if (testCase.finishJobs)
                job.finish();
            else
                testCase.heldJob = job;
        }
    }
    MusubiScriptUploader {
        id: withoutHandler
    }
    MusubiHttpUploader {
        id: http
    }
    MusubiConnection {
        id: conn
        url: UploadFixture.url
        uploaders: ({
                script: script,
                http: http
            })
    }
    MusubiRoot {
        id: root
        connection: conn
        module: "Test.ExternalUploads"
        instanceId: "qml"
    }

    // Store fields are dynamic: read them through a var.
    readonly property var store: root.store

    SignalSpy {
        id: preflight
        signalName: "preflightFinished"
    }
    SignalSpy {
        id: finished
        signalName: "finished"
    }

    // select() + start() once the preflight accepted the files.
    function upload(handle, files) {
        preflight.target = handle;
        finished.target = handle;
        preflight.clear();
        finished.clear();
        handle.select(files);
        preflight.wait(10000);
        handle.start();
    }

    function save() {
        let reply = null;
        testCase.store.dispatch("save", {}, r => reply = r);
        tryVerify(() => reply !== null, 10000);
        return reply.saved;
    }

    function initTestCase() {
        tryCompare(root, "status", MusubiRoot.Live);
        compare(Object.keys(conn.uploaders).sort(), ["http", "script"]);
    }

    function test_1_scriptUploader() {
        const handle = testCase.store.scripted;
        upload(handle, [UploadFixture.writeFile("notes.txt", 2500)]);
        finished.wait(10000);
        compare(handle.status, MusubiUpload.Succeeded);
        compare(testCase.jobs.length, 1);
        const job = testCase.jobs[0];
        compare(job.url, "memory://" + job.ref);
        compare(job.name, "notes.txt");
        compare(job.size, 2500);
        compare(job.uploaderName, "script");
        verify(job.local);
        tryVerify(() => handle.entries.length === 1 && handle.entries[0].progress === 100);
        compare(save(), ["scripted:notes.txt"]);
    }

    function test_2_httpUploader() {
        const handle = testCase.store.http;
        upload(handle, [UploadFixture.writeFile("photo.png", 3000)]);
        finished.wait(10000);
        compare(handle.status, MusubiUpload.Succeeded);
        compare(UploadFixture.httpPutSize("photo.png"), 3000);
        compare(save(), ["http:photo.png"]);
    }

    function test_3_cancelReachesTheScript() {
        testCase.finishJobs = false;
        const handle = testCase.store.scripted;
        handle.reset();
        upload(handle, [UploadFixture.writeFile("long.bin", 10)]);
        tryVerify(() => testCase.heldJob !== null);
        handle.cancel();
        tryCompare(testCase, "cancelledJobs", 1);
        tryVerify(() => handle.entries.length === 0);
        testCase.finishJobs = true;
    }

    function test_4_uploaderWithoutHandlerFails() {
        conn.uploaders = {
            script: withoutHandler,
            http: http
        };
        const handle = testCase.store.scripted;
        handle.reset();
        ignoreWarning(/no onUploadRequested handler/);
        upload(handle, [UploadFixture.writeFile("lost.txt", 5)]);
        finished.wait(10000);
        compare(handle.status, MusubiUpload.Failed);
        compare(handle.entries[0].status, MusubiUploadEntry.Failed);
        compare(handle.entryModel.get(handle.entries[0].ref).status, MusubiUploadEntry.Failed);
        // The failure is relayed (upload_error); the server's error op records it.
        tryVerify(() => JSON.stringify(handle.entries[0].errors).includes("no onUploadRequested handler"));
        conn.uploaders = {
            script: script,
            http: http
        };
    }

    function test_5_notAnUploader() {
        ignoreWarning(/uploaders.script is not a MusubiUploader/);
        conn.uploaders = {
            script: 42,
            http: http
        };
        compare(Object.keys(conn.uploaders), ["http"]);
        conn.uploaders = {
            script: script,
            http: http
        };
        compare(Object.keys(conn.uploaders).sort(), ["http", "script"]);
    }

    function test_6_destroyedUploaderIsForgotten() {
        const temporary = Qt.createQmlObject("import Musubi; MusubiHttpUploader {}", testCase);
        conn.uploaders = {
            script: script,
            http: http,
            temporary: temporary
        };
        compare(Object.keys(conn.uploaders).sort(), ["http", "script", "temporary"]);
        temporary.destroy();
        tryVerify(() => Object.keys(conn.uploaders).length === 2);
        compare(Object.keys(conn.uploaders).sort(), ["http", "script"]);
    }
}
