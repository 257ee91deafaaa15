// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtTest
import Musubi
import MusubiUploadFixture

// The FileDialog flow of an upload field: pick files, preflight, start, one
// progress bar per file, then a command that consumes the finished files.
TestCase {
    id: testCase
    name: "Upload"
    when: windowShown
    width: 400
    height: 300

    MusubiConnection {
        id: conn
        url: UploadFixture.url
    }
    MusubiRoot {
        id: root
        connection: conn
        module: "Test.Uploads"
        instanceId: "qml"
    }

    // What an application writes: the dialog's accepted files go to the upload.
    // Store fields are dynamic: read them through a var so tooling does not expect them.
    readonly property var store: root.store
    readonly property var upload: store ? store.avatar : null
    // False: the preflight leaves the accepted entries pending (no start()).
    property bool autoStart: true
    function uploadFiles(files) {
        upload.select(files);
    }
    FileDialog {
        id: dialog
        fileMode: FileDialog.OpenFiles
        onAccepted: testCase.uploadFiles(selectedFiles)
    }
    Connections {
        target: testCase.upload
        function onPreflightFinished(accepted, rejected) {
            if (accepted.length > 0 && testCase.autoStart)
                testCase.upload.start();
        }
    }
    ListView {
        id: list
        width: 400
        height: 300
        model: testCase.upload ? testCase.upload.entryModel : null
        delegate: Row {
            id: row
            required property string clientName
            required property int progress
            required property int status
            required property string ref
            property alias bar: bar
            Label { text: row.clientName; width: 120 }
            ProgressBar { id: bar; from: 0; to: 100; value: row.progress; width: 200 }
        }
    }
    SignalSpy {
        id: finished
        target: testCase.upload
        signalName: "finished"
    }

    function initTestCase() {
        tryCompare(root, "status", MusubiRoot.Live);
        verify(testCase.upload !== null);
        compare(testCase.upload.status, MusubiUpload.Idle);
    }

    function test_1_fileDialogFlow() {
        const files = [UploadFixture.writeFile("a.png", 4500), UploadFixture.writeFile("b.txt", 0),
                       UploadFixture.writeFile("c.jpg", 12345)];
        compare(dialog.fileMode, FileDialog.OpenFiles);
        uploadFiles(files);
        compare(upload.status, MusubiUpload.Selecting);
        finished.wait(10000);
        compare(upload.status, MusubiUpload.Succeeded);
        verify(upload.status !== MusubiUpload.Failed);
        tryCompare(list, "count", 3);
        tryCompare(upload, "progress", 100);
        for (let i = 0; i < 3; ++i) {
            list.currentIndex = i;
            const item = list.itemAtIndex(i);
            verify(item !== null);
            tryCompare(item.bar, "value", 100);
            compare(item.status, MusubiUploadEntry.Succeeded);
            compare(upload.entryModel.get(item.ref).status, MusubiUploadEntry.Succeeded);
            compare(upload.entries[i].status, MusubiUploadEntry.Succeeded);
            compare(UploadFixture.receivedSize(item.ref), [4500, 0, 12345][i]);
        }
        compare(list.itemAtIndex(0).clientName, "a.png");
        compare(upload.entries[0].clientType, "image/png");
        compare(upload.entries[0].clientName, "a.png");
    }

    function test_2_consumeResets() {
        let reply = null;
        testCase.store.dispatch("save", {}, r => reply = r);
        tryVerify(() => reply !== null);
        compare(reply.saved, ["a.png", "b.txt", "c.jpg"]);
        tryCompare(list, "count", 0);
        upload.reset();
        compare(upload.status, MusubiUpload.Idle);
    }

    function test_3_rejectedFiles() {
        const files = [UploadFixture.writeFile("1", 1), UploadFixture.writeFile("2", 1),
                       UploadFixture.writeFile("3", 1), UploadFixture.writeFile("4", 1)];
        uploadFiles(files);
        tryCompare(upload, "status", MusubiUpload.Succeeded, 10000);
        // Three accepted, the fourth refused with too_many_files.
        tryCompare(list, "count", 3);
        compare(upload.rejected.length, 1);
        compare(upload.rejected[0].code, "too_many_files");
        upload.cancel();
        tryCompare(list, "count", 0);
    }

    function test_0_statusConstants() {
        // The QML constants are the C++ values (MusubiUploadEntry::Status, MusubiUpload::Status).
        compare([MusubiUploadEntry.Pending, MusubiUploadEntry.Uploading, MusubiUploadEntry.Succeeded,
                 MusubiUploadEntry.Failed, MusubiUploadEntry.Cancelled], [0, 1, 2, 3, 4]);
        compare([MusubiUpload.Idle, MusubiUpload.Selecting, MusubiUpload.Uploading,
                 MusubiUpload.Succeeded, MusubiUpload.Failed], [0, 1, 2, 3, 4]);
    }

    function test_4_pendingThenRefused() {
        upload.reset();
        testCase.autoStart = false;
        uploadFiles([UploadFixture.writeFile("p.png", 10)]);
        tryCompare(list, "count", 1);
        compare(upload.status, MusubiUpload.Selecting);
        // The delegate of this entry (the view may still hold the previous test's row).
        const ref = upload.entries[0].ref;
        tryVerify(() => list.itemAtIndex(0) !== null && list.itemAtIndex(0).ref === ref);
        compare(list.itemAtIndex(0).status, MusubiUploadEntry.Pending);
        verify(list.itemAtIndex(0).status !== MusubiUploadEntry.Failed);
        compare(upload.entries[0].status, MusubiUploadEntry.Pending);
        upload.cancel();
        tryCompare(list, "count", 0);
        testCase.autoStart = true;

        // Over max_entries: the preflight refuses the surplus, the handle fails.
        upload.reset();
        const files = [];
        for (let i = 0; i < 5; ++i)
            files.push(UploadFixture.writeFile("f" + i, 1));
        testCase.autoStart = false;
        uploadFiles(files);
        tryCompare(upload, "status", MusubiUpload.Failed);
        compare(upload.rejected.length, 2);
        upload.cancel();
        tryCompare(list, "count", 0);
        testCase.autoStart = true;
    }
}
