// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include <QtQml/QQmlEngine>
#include <QtQuickTest/quicktest.h>

// Every tst_*.qml file gets its own engine and thus its own Fixture
// (MusubiTestServer). The import path makes `import Musubi` resolve from the
// build tree, exactly as an application would use it.
class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral(MUSUBI_QML_IMPORT_DIR));
    }
};

QUICK_TEST_MAIN_WITH_SETUP(musubi_qml, Setup)

#include "tst_musubi_qml.moc"
