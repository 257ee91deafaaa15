// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include <QtQml/QQmlEngine>
#include <QtQuickTest/quicktest.h>

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral(MUSUBI_QML_IMPORT_DIR));
    }
};

QUICK_TEST_MAIN_WITH_SETUP(musubi_uploads_qml, Setup)

#include "tst_uploads_qml.moc"
